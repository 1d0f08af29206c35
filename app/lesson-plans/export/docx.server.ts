import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ILevelsOptions,
} from "docx";
import type { TFunction } from "i18next";
import { PLAN_PLACEHOLDER, normalizePlanJson } from "../plan-json";
import {
  BULLETS,
  DocxContext,
  HEADER_SHADING,
  LIST_INDENT,
  TABLE_BORDERS,
  TEXT_WIDTH,
  blocks,
  orderedReference,
  textRuns,
} from "./docx-content.server";
import { SERIF_TIBETAN, tibetanTrueType } from "./fonts.server";
import { exportedFrom, metadataRows } from "./shared";
import type { ExportOptions, PlanForExport } from "./types";

/**
 * Fonts. A .docx names fonts but cannot list fallbacks, so it names what the readers' Word has:
 * - Chinese (and Latin, so both match): Microsoft YaHei, on every Windows since Vista, the teachers' usual
 *   machine. Word for Mac and LibreOffice substitute their own CJK sans (PingFang, Noto Sans CJK).
 * - Tibetan: Noto Serif Tibetan, embedded in the file (Word and LibreOffice use embedded TrueType fonts), the
 *   same face as the print export. Fontsource ships it as WOFF, which `woffToSfnt` turns back into TrueType.
 *   Where an embedded font is ignored, Windows falls back to Microsoft Himalaya for Tibetan script.
 * Noto Sans SC is not embedded: fontsource has it only as WOFF2 subsets, and all of CJK would add megabytes.
 */
const CHINESE_FONT = "Microsoft YaHei";

const WORD_LANGUAGE: Record<PlanForExport["language"], string> = { "zh-CN": "zh-CN", bo: "bo-CN", en: "en-US" };

const BULLET_SYMBOLS = ["•", "◦", "▪"];
const ORDERED_FORMATS = [
  { format: LevelFormat.DECIMAL, text: (n: number) => `%${n}.` },
  { format: LevelFormat.DECIMAL, text: (n: number) => `(%${n})` },
  { format: LevelFormat.LOWER_LETTER, text: (n: number) => `%${n})` },
];

function levels(kind: "bullet" | "ordered", start = 1): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    ...(kind === "bullet"
      ? { format: LevelFormat.BULLET, text: BULLET_SYMBOLS[level % 3] }
      : { format: ORDERED_FORMATS[level % 3].format, text: ORDERED_FORMATS[level % 3].text(level + 1), start: level === 0 ? start : 1 }),
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: LIST_INDENT * (level + 1), hanging: LIST_INDENT } } },
  }));
}

function metadataTable(plan: PlanForExport, t: TFunction, ctx: DocxContext): Table {
  const label = Math.round(TEXT_WIDTH * 0.28);
  const cell = (text: string, width: number, header: boolean) =>
    new TableCell({
      width: { size: width, type: WidthType.DXA },
      shading: header ? HEADER_SHADING : undefined,
      children: [new Paragraph({ children: textRuns(text, { bold: header || undefined }, ctx) })],
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [label, TEXT_WIDTH - label],
    borders: TABLE_BORDERS,
    rows: metadataRows(plan, t).map(
      ([name, value]) => new TableRow({ cantSplit: true, children: [cell(name, label, true), cell(value, TEXT_WIDTH - label, false)] }),
    ),
  });
}

/**
 * A lesson plan as a Word document: title, the plan's details, its content with headings, lists, tables, links
 * and the pictures whose bytes `plan.images` has (others are left out), on A4. The content is mapped onto the
 * schema first; should it still fail to render, the file has the placeholder in its place rather than no file.
 */
export async function renderDocx(plan: PlanForExport, t: TFunction, options: ExportOptions = {}): Promise<Buffer> {
  try {
    return await Packer.toBuffer(wordDocument(plan, t, options, (ctx) => blocks(normalizePlanJson(plan.content).content, ctx)));
  } catch (error) {
    console.error("renderDocx: a plan's content could not be rendered", error);
    return Packer.toBuffer(wordDocument(plan, t, options, (ctx) => blocks([{ type: PLAN_PLACEHOLDER }], ctx)));
  }
}

function wordDocument(
  plan: PlanForExport,
  t: TFunction,
  options: ExportOptions,
  content: (ctx: DocxContext) => ReturnType<typeof blocks>,
): Document {
  const ctx = new DocxContext(plan.images, t("planExport:unsupportedContent"));
  const children = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: textRuns(plan.title, {}, ctx) }),
    metadataTable(plan, t, ctx),
    ...content(ctx),
  ];
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          ...textRuns(`${exportedFrom(t, options.now ?? new Date())} · `, { size: 16, color: "666666" }, ctx),
          new TextRun({ children: [PageNumber.CURRENT], size: 16, color: "666666" }),
        ],
      }),
    ],
  });
  const font = { ascii: CHINESE_FONT, hAnsi: CHINESE_FONT, eastAsia: CHINESE_FONT, cs: SERIF_TIBETAN };
  return new Document({
    title: plan.title,
    creator: plan.leadAuthor,
    fonts: ctx.tibetan ? [{ name: SERIF_TIBETAN, data: tibetanTrueType() }] : [],
    styles: {
      default: {
        document: {
          run: { font, size: 21, language: { value: WORD_LANGUAGE[plan.language], eastAsia: "zh-CN", bidirectional: "bo-CN" } },
          paragraph: { spacing: { after: 80, line: 300 } },
        },
        title: { run: { font, size: 40, bold: true, color: "000000" }, paragraph: { spacing: { after: 240 } } },
        heading2: {
          run: { font, size: 28, bold: true, color: "000000" },
          paragraph: { keepNext: true, keepLines: true, spacing: { before: 320, after: 120 } },
        },
        heading3: {
          run: { font, size: 24, bold: true, color: "000000" },
          paragraph: { keepNext: true, keepLines: true, spacing: { before: 200, after: 80 } },
        },
      },
    },
    numbering: {
      config: [
        { reference: BULLETS, levels: levels("bullet") },
        ...[...ctx.orderedStarts].map((start) => ({ reference: orderedReference(start), levels: levels("ordered", start) })),
      ],
    },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        footers: { default: footer },
        children,
      },
    ],
  });
}

import type { JSONContent } from "@tiptap/core";
import {
  BorderStyle,
  ExternalHyperlink,
  HeadingLevel,
  ImageRun,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
  type ParagraphChild,
} from "docx";
import { isSafeHref, isSafeImageSrc } from "../safety";
import { PLAN_PLACEHOLDER } from "../plan-json";
import { SERIF_TIBETAN } from "./fonts.server";
import { scriptRuns } from "./shared";
import type { PlanForExport } from "./types";

/** A4 less 2 cm margins, in twips; pictures and tables are fitted to it. */
export const TEXT_WIDTH = 11906 - 2 * 1134;
const TWIPS_PER_PIXEL = 15;
export const LIST_INDENT = 420;
export const BULLETS = "bullets";
export const orderedReference = (start: number) => (start === 1 ? "ordered" : `ordered-from-${start}`);

/** Tibetan text in every font slot: Word files Tibetan under complex scripts, LibreOffice under Latin. */
const TIBETAN_RUN: Pick<IRunOptions, "font" | "language"> = {
  font: { ascii: SERIF_TIBETAN, hAnsi: SERIF_TIBETAN, eastAsia: SERIF_TIBETAN, cs: SERIF_TIBETAN },
  language: { value: "bo-CN", bidirectional: "bo-CN" },
};

const LINE = { style: BorderStyle.SINGLE, size: 4, color: "808080" } as const;
export const TABLE_BORDERS = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };
export const HEADER_SHADING = { type: ShadingType.CLEAR, color: "auto", fill: "E7E6E6" } as const;

/** What the walk collects for the document around it: lists to number, and whether Tibetan font is needed. */
export class DocxContext {
  tibetan = false;
  orderedStarts = new Set<number>([1]);
  private instances = 0;
  constructor(
    readonly images: PlanForExport["images"],
    /** "[content that cannot be shown]" in the reader's language. */
    readonly unsupported: string,
  ) {}
  nextList() {
    return ++this.instances;
  }
}

interface Place {
  list?: { reference: string; level: number; instance: number };
  quote?: boolean;
  bold?: boolean;
  /** The width a picture may take here, in pixels. */
  width: number;
}

/** What a section or a table cell holds. */
type Block = Paragraph | Table;

type Format = Omit<IRunOptions, "text" | "children" | "break">;

/** A string as runs, each Tibetan stretch in the Tibetan font. */
export function textRuns(text: string, format: Format, ctx: DocxContext): TextRun[] {
  return scriptRuns(text).map((run) => {
    if (run.tibetan) ctx.tibetan = true;
    return new TextRun({ ...format, ...(run.tibetan ? TIBETAN_RUN : {}), text: run.text });
  });
}

function inlines(nodes: JSONContent[] | undefined, ctx: DocxContext, place: Place): ParagraphChild[] {
  return (nodes ?? []).flatMap((node): ParagraphChild[] => {
    if (node.type === "hardBreak") return [new TextRun({ break: 1 })];
    if (node.type === PLAN_PLACEHOLDER) return textRuns(ctx.unsupported, { italics: true, color: "666666" }, ctx);
    if (node.type !== "text" || !node.text) return [];
    const has = (type: string) => node.marks?.some((m) => m.type === type) ?? false;
    const href: unknown = node.marks?.find((m) => m.type === "link")?.attrs?.href;
    const link = isSafeHref(href) ? href.trim() : null;
    const format: Format = {
      bold: place.bold || has("bold") || undefined,
      italics: has("italic") || undefined,
      underline: has("underline") ? {} : undefined,
      strike: has("strike") || undefined,
      style: link ? "Hyperlink" : undefined,
    };
    const runs = textRuns(node.text, format, ctx);
    return link ? [new ExternalHyperlink({ link, children: runs })] : runs;
  });
}

function paragraph(children: ParagraphChild[], place: Place, first: boolean): Paragraph {
  const level = place.list?.level ?? -1;
  return new Paragraph({
    children,
    // Only an item's first paragraph carries the bullet or number; the rest line up under its text.
    numbering: place.list && first ? place.list : undefined,
    indent: place.list && !first ? { left: LIST_INDENT * (level + 1) } : place.quote ? { left: LIST_INDENT } : undefined,
    border: place.quote ? { left: { style: BorderStyle.SINGLE, size: 12, color: "BBBBBB", space: 8 } } : undefined,
  });
}

function image(node: JSONContent, ctx: DocxContext, place: Place): Paragraph[] {
  const src: unknown = node.attrs?.src;
  const bytes = isSafeImageSrc(src) ? ctx.images?.get(src) : undefined;
  if (!bytes || bytes.width <= 0 || bytes.height <= 0) return [];
  const scale = Math.min(1, place.width / bytes.width);
  const alt = typeof node.attrs?.alt === "string" ? node.attrs.alt : "";
  return [
    new Paragraph({
      keepLines: true,
      children: [
        new ImageRun({
          type: bytes.type,
          data: bytes.data,
          transformation: { width: Math.floor(bytes.width * scale), height: Math.floor(bytes.height * scale) },
          altText: { name: alt || "image", description: alt, title: typeof node.attrs?.title === "string" ? node.attrs.title : "" },
        }),
      ],
    }),
  ];
}

/** The grid column each cell starts in, counting cells that rows above span into. */
function grid(rows: JSONContent[]): { starts: number[][]; columns: number } {
  const taken = rows.map(() => new Set<number>());
  let columns = 0;
  const starts = rows.map((row, r) => {
    let col = 0;
    return (row.content ?? []).map((cell) => {
      while (taken[r].has(col)) col++;
      const start = col;
      const colspan = cell.attrs?.colspan ?? 1;
      for (let dr = 0; dr < (cell.attrs?.rowspan ?? 1) && r + dr < rows.length; dr++) {
        for (let dc = 0; dc < colspan; dc++) taken[r + dr].add(start + dc);
      }
      col += colspan;
      columns = Math.max(columns, col);
      return start;
    });
  });
  return { starts, columns };
}

/** Column widths in twips: the editor's widths (pixels) scaled to the page where it has them, else equal. */
function columnWidths(rows: JSONContent[], starts: number[][], columns: number): number[] {
  const pixels: (number | undefined)[] = Array(columns).fill(undefined);
  rows.forEach((row, r) =>
    (row.content ?? []).forEach((cell, i) => {
      const widths: unknown = cell.attrs?.colwidth;
      if (Array.isArray(widths)) widths.forEach((w, k) => (pixels[starts[r][i] + k] ??= typeof w === "number" && w > 0 ? w : undefined));
    }),
  );
  const known = pixels.filter((w): w is number => w !== undefined);
  const fallback = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  const filled = pixels.map((w) => w ?? fallback);
  const total = filled.reduce((a, b) => a + b, 0);
  return filled.map((w) => Math.floor((w / total) * TEXT_WIDTH));
}

function table(node: JSONContent, ctx: DocxContext): Table[] {
  const rows = (node.content ?? []).filter((row) => row.content?.length);
  if (!rows.length) return [];
  const { starts, columns } = grid(rows);
  const widths = columnWidths(rows, starts, columns);
  const isHeader = (row: JSONContent) => row.content!.every((cell) => cell.type === "tableHeader");
  // Word repeats header rows on each page only when they lead the table.
  const leading = rows.findIndex((row) => !isHeader(row));
  return [
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      borders: TABLE_BORDERS,
      rows: rows.map(
        (row, r) =>
          new TableRow({
            tableHeader: leading === -1 || r < leading || undefined,
            cantSplit: true,
            children: row.content!.map((cell, i) => {
              const header = cell.type === "tableHeader";
              const colspan = Math.max(1, Math.min(cell.attrs?.colspan ?? 1, columns - starts[r][i]));
              const width = widths.slice(starts[r][i], starts[r][i] + colspan).reduce((a, b) => a + b, 0);
              const children = blocks(cell.content, ctx, { bold: header, width: width / TWIPS_PER_PIXEL - 10 });
              return new TableCell({
                columnSpan: colspan > 1 ? colspan : undefined,
                rowSpan: (cell.attrs?.rowspan ?? 1) > 1 ? cell.attrs!.rowspan : undefined,
                width: { size: width, type: WidthType.DXA },
                shading: header ? HEADER_SHADING : undefined,
                // Word needs a paragraph in every cell.
                children: children.length ? children : [new Paragraph({})],
              });
            }),
          }),
      ),
    }),
  ];
}

function list(node: JSONContent, ctx: DocxContext, place: Place): Block[] {
  const start = Number.isInteger(node.attrs?.start) && node.attrs!.start > 0 ? (node.attrs!.start as number) : 1;
  if (node.type === "orderedList") ctx.orderedStarts.add(start);
  const reference = node.type === "orderedList" ? orderedReference(start) : BULLETS;
  const level = place.list ? Math.min(place.list.level + 1, 8) : 0;
  // A list in a list keeps its parent's instance, so Word restarts its numbers under each parent item.
  const instance = place.list?.instance ?? ctx.nextList();
  const inner: Place = { ...place, list: { reference, level, instance } };
  return (node.content ?? []).flatMap((item) =>
    (item.content ?? []).flatMap((child, i) =>
      child.type === "paragraph" ? [paragraph(inlines(child.content, ctx, inner), inner, i === 0)] : blocks([child], ctx, inner),
    ),
  );
}

/** The plan's blocks as Word paragraphs and tables. */
export function blocks(
  nodes: JSONContent[] | undefined,
  ctx: DocxContext,
  place: Place = { width: TEXT_WIDTH / TWIPS_PER_PIXEL },
): Block[] {
  return (nodes ?? []).flatMap((node): Block[] => {
    switch (node.type) {
      case "paragraph":
        return [paragraph(inlines(node.content, ctx, place), place, false)];
      case "heading":
        return [
          new Paragraph({
            heading: node.attrs?.level === 3 ? HeadingLevel.HEADING_3 : HeadingLevel.HEADING_2,
            children: inlines(node.content, ctx, place),
          }),
        ];
      case "bulletList":
      case "orderedList":
        return list(node, ctx, place);
      case "blockquote":
        return blocks(node.content, ctx, { ...place, quote: true });
      case "horizontalRule":
        return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "999999", space: 1 } } })];
      case "table":
        return table(node, ctx);
      case "image":
        return image(node, ctx, place);
      case PLAN_PLACEHOLDER:
        return [paragraph(inlines([node], ctx, place), place, false)];
      default:
        return [];
    }
  });
}

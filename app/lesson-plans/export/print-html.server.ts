import type { JSONContent } from "@tiptap/core";
import type { TFunction } from "i18next";
import { escapeHtml } from "~/lib/html";
import { isSafeHref, isSafeImageSrc } from "../safety";
import { PLAN_PLACEHOLDER, normalizePlanJson } from "../plan-json";
import { embeddedFontFaces, SANS_SC, SERIF_TIBETAN } from "./fonts.server";
import { TIBETAN_PHRASE, exportedFrom, metadataRows, scriptRuns } from "./shared";
import type { ExportOptions, PlanForExport } from "./types";

interface Context {
  /** Tibetan runs need their own `lang` unless the whole document is Tibetan. */
  tibetanRuns: boolean;
  images: PlanForExport["images"];
  /** Everything the page shows, for choosing the font subsets to embed. */
  shown: string[];
  /** "[content that cannot be shown]" in the reader's language. */
  unsupported: string;
}

function text(value: string, ctx: Context): string {
  ctx.shown.push(value);
  if (!ctx.tibetanRuns) return escapeHtml(value);
  // Whole phrases, so the browser shapes and breaks them as Tibetan; the Tibetan font stack falls back for Latin.
  return scriptRuns(value, TIBETAN_PHRASE)
    .map((run) => (run.tibetan ? `<span lang="bo">${escapeHtml(run.text)}</span>` : escapeHtml(run.text)))
    .join("");
}

const span = (value: unknown) => (Number.isInteger(value) && (value as number) > 1 ? (value as number) : null);

function inline(node: JSONContent, ctx: Context): string {
  if (node.type === "hardBreak") return "<br>";
  if (node.type === PLAN_PLACEHOLDER) return `<span class="unsupported">${text(ctx.unsupported, ctx)}</span>`;
  if (node.type !== "text" || !node.text) return "";
  let html = text(node.text, ctx);
  for (const mark of node.marks ?? []) {
    if (mark.type === "bold") html = `<strong>${html}</strong>`;
    else if (mark.type === "italic") html = `<em>${html}</em>`;
    else if (mark.type === "underline") html = `<u>${html}</u>`;
    else if (mark.type === "strike") html = `<s>${html}</s>`;
    else if (mark.type === "link" && isSafeHref(mark.attrs?.href)) {
      const href = mark.attrs.href.trim();
      ctx.shown.push(` (${href})`); // printed after the link text
      html = `<a href="${escapeHtml(href)}">${html}</a>`;
    }
  }
  return html;
}

function image(node: JSONContent, ctx: Context): string {
  const src: unknown = node.attrs?.src;
  if (!isSafeImageSrc(src)) return "";
  const bytes = ctx.images?.get(src);
  // Bytes the caller has are inlined so the file prints offline; others stay links to the app.
  const url = bytes ? `data:image/${bytes.type === "jpg" ? "jpeg" : bytes.type};base64,${bytes.data.toString("base64")}` : src;
  const alt = typeof node.attrs?.alt === "string" ? node.attrs.alt : "";
  ctx.shown.push(alt); // shown where the picture cannot load
  const title = typeof node.attrs?.title === "string" && node.attrs.title ? ` title="${escapeHtml(node.attrs.title)}"` : "";
  return `<figure><img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}"${title}></figure>`;
}

function table(node: JSONContent, ctx: Context): string {
  const rows = node.content ?? [];
  const isHeaderRow = (row: JSONContent) => !!row.content?.length && row.content.every((c) => c.type === "tableHeader");
  // Leading header rows go into <thead>, which browsers repeat on every printed page the table runs over.
  const headCount = rows.findIndex((row) => !isHeaderRow(row));
  const split = headCount === -1 ? rows.length : headCount;
  const renderRow = (row: JSONContent) =>
    `<tr>${(row.content ?? [])
      .map((cell) => {
        const tag = cell.type === "tableHeader" ? "th" : "td";
        const colspan = span(cell.attrs?.colspan);
        const rowspan = span(cell.attrs?.rowspan);
        const attrs = `${colspan ? ` colspan="${colspan}"` : ""}${rowspan ? ` rowspan="${rowspan}"` : ""}`;
        return `<${tag}${attrs}>${blocks(cell.content, ctx)}</${tag}>`;
      })
      .join("")}</tr>`;
  const head = split > 0 ? `<thead>${rows.slice(0, split).map(renderRow).join("")}</thead>` : "";
  return `<table>${head}<tbody>${rows.slice(split).map(renderRow).join("")}</tbody></table>`;
}

function block(node: JSONContent, ctx: Context): string {
  const children = () => (node.content ?? []).map((child) => inline(child, ctx)).join("");
  switch (node.type) {
    case "paragraph":
      return `<p>${children()}</p>`;
    case "heading": {
      const level = node.attrs?.level === 3 ? 3 : 2;
      return `<h${level}>${children()}</h${level}>`;
    }
    case "bulletList":
      return `<ul>${blocks(node.content, ctx)}</ul>`;
    case "orderedList": {
      const start = node.attrs?.start;
      return `<ol${Number.isInteger(start) && start !== 1 ? ` start="${start}"` : ""}>${blocks(node.content, ctx)}</ol>`;
    }
    case "listItem":
      return `<li>${blocks(node.content, ctx)}</li>`;
    case "blockquote":
      return `<blockquote>${blocks(node.content, ctx)}</blockquote>`;
    case "horizontalRule":
      return "<hr>";
    case "table":
      return table(node, ctx);
    case "image":
      return image(node, ctx);
    case PLAN_PLACEHOLDER:
      return `<p class="unsupported">${text(ctx.unsupported, ctx)}</p>`;
    default:
      return "";
  }
}

function blocks(nodes: JSONContent[] | undefined, ctx: Context): string {
  return (nodes ?? []).map((node) => block(node, ctx)).join("\n");
}

/** The plan's content mapped onto the schema first; should it still fail, the placeholder instead of an error. */
function content(plan: PlanForExport, ctx: Context): string {
  try {
    return blocks(normalizePlanJson(plan.content).content, ctx);
  } catch (error) {
    console.error("renderPrintHtml: a plan's content could not be rendered", error);
    return `<p class="unsupported">${text(ctx.unsupported, ctx)}</p>`;
  }
}

/**
 * A lesson plan as one HTML file to print or save as PDF from the browser: A4 pages, the plan's details, its
 * content, and the Chinese and Tibetan fonts inline (only the subsets its text uses), so nothing prints as
 * empty boxes, even offline. No scripts; the note on how to save as PDF is hidden from print.
 */
export function renderPrintHtml(plan: PlanForExport, t: TFunction, options: ExportOptions = {}): string {
  const ctx: Context = {
    tibetanRuns: plan.language !== "bo",
    images: plan.images,
    shown: [],
    unsupported: t("planExport:unsupportedContent"),
  };
  const metadata = metadataRows(plan, t)
    .map(([label, value]) => `<tr><th scope="row">${text(label, ctx)}</th><td>${text(value, ctx)}</td></tr>`)
    .join("");
  const body = [
    `<p class="print-hint">${text(t("planExport:printHint"), ctx)}</p>`,
    `<h1>${text(plan.title, ctx)}</h1>`,
    `<table class="metadata" aria-label="${escapeHtml(t("planExport:metadata.label"))}"><tbody>${metadata}</tbody></table>`,
    `<main>\n${content(plan, ctx)}\n</main>`,
    `<footer>${text(exportedFrom(t, options.now ?? new Date()), ctx)}</footer>`,
  ].join("\n");
  return `<!doctype html>
<html lang="${escapeHtml(plan.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(plan.title)}</title>
<style>
${embeddedFontFaces(ctx.shown.join(""))}
${PRINT_CSS}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const PRINT_CSS = `
@page { size: A4; margin: 18mm 16mm 20mm; }
html { font-family: "${SANS_SC}", "${SERIF_TIBETAN}", sans-serif; font-size: 11pt; line-height: 1.6; color: #111; }
:lang(bo) { font-family: "${SERIF_TIBETAN}", "${SANS_SC}", serif; line-height: 1.9; }
body { max-width: 178mm; margin: 0 auto; padding: 12mm 8mm; }
h1 { font-size: 20pt; line-height: 1.3; margin: 0 0 5mm; }
h2 { font-size: 14pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 0.75pt solid #888; }
h3 { font-size: 12pt; margin: 4mm 0 1.5mm; }
h2, h3 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
/* Reserves room below a heading so one never ends a page, where break-after: avoid is not honoured. */
h2::after, h3::after { content: ""; display: block; height: 4em; margin-bottom: -4em; }
p { margin: 0 0 2mm; orphans: 3; widows: 3; }
ul, ol { margin: 0 0 2mm; padding-inline-start: 7mm; }
li > p { margin: 0; }
blockquote { margin: 2mm 0; padding-inline-start: 4mm; border-inline-start: 2pt solid #bbb; color: #333; }
hr { border: 0; border-top: 0.75pt solid #999; margin: 4mm 0; }
a { color: inherit; }
table { width: 100%; border-collapse: collapse; margin: 3mm 0 4mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #555; padding: 1.5mm 2mm; vertical-align: top; text-align: start; }
th { background: #ececec; font-weight: 700; }
th > p, td > p { margin: 0; }
th > p + p, td > p + p { margin-top: 1mm; }
table.metadata th { width: 28%; }
figure { margin: 3mm 0; break-inside: avoid; }
img { max-width: 100%; height: auto; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 0.5pt solid #bbb; font-size: 9pt; color: #555; }
.unsupported { color: #666; font-style: italic; }
.print-hint { border: 1px dashed #b28a00; background: #fff8dc; padding: 2mm 3mm; font-size: 10pt; }
@media print {
  body { max-width: none; padding: 0; }
  .print-hint { display: none; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 8.5pt; word-break: break-all; }
}
`;

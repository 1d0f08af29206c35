import { stringify } from "csv-stringify/sync";
import { PAIRING_STATUSES } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { pickName } from "~/i18n/localized-name";
import { formatStamp } from "./format";
import type { DashboardReport } from "./queries.server";

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** A translator fixed to the reader's language, with the dashboard, pairings and common namespaces. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

type Cell = string | number | null;

export interface ReportTable {
  headers: string[];
  rows: Cell[][];
  widths: number[];
}

/** The per-pairing report: headers and status names translated, school names in the reader's language. */
export function pairingTable(report: DashboardReport, locale: Locale, t: Translate): ReportTable {
  const name = (s: Parameters<typeof pickName>[0]) => pickName(s, locale).text;
  const columns: [string, number][] = [
    ["dashboard:columns.schoolA", 36],
    ["dashboard:columns.stageA", 14],
    ["dashboard:columns.membersA", 12],
    ["dashboard:columns.schoolB", 36],
    ["dashboard:columns.stageB", 14],
    ["dashboard:columns.membersB", 12],
    ["dashboard:columns.status", 14],
    ["dashboard:columns.planned", 12],
    ["dashboard:columns.held", 10],
    ["dashboard:columns.cancelled", 10],
    ["dashboard:columns.lessonPlans", 12],
    ["dashboard:columns.observations", 12],
    ["dashboard:columns.lastActivity", 18],
  ];
  return {
    headers: columns.map(([key]) => t(key)),
    widths: columns.map(([, width]) => width),
    rows: report.pairings.map((p) => [
      name(p.schoolA),
      t(`common:stages.${p.schoolA.stage}`),
      p.schoolA.members,
      name(p.schoolB),
      t(`common:stages.${p.schoolB.stage}`),
      p.schoolB.members,
      t(`pairings:status.${p.status}`),
      p.planned,
      p.held,
      p.cancelled,
      p.lessonPlans,
      p.observations,
      formatStamp(p.lastActivity),
    ]),
  };
}

/** Pairings by state, one row per region. */
export function statusTable(report: DashboardReport, locale: Locale, t: Translate): ReportTable {
  return {
    headers: [t("dashboard:columns.region"), ...PAIRING_STATUSES.map((s) => t(`pairings:status.${s}`)), t("dashboard:columns.total")],
    widths: [24, ...PAIRING_STATUSES.map(() => 12), 10],
    rows: report.regions.map((r) => [pickName(r, locale).text, ...PAIRING_STATUSES.map((s) => r.counts[s]), r.total]),
  };
}

/** UTF-8 with a byte-order mark, so Excel opens Chinese and Tibetan correctly; CRLF as Excel writes. */
export function toCsv(table: ReportTable): string {
  return stringify([table.headers, ...table.rows], { bom: true, record_delimiter: "windows" });
}

/** Excel's sheet names: at most 31 characters, none of []:*?/\ */
const sheetName = (text: string) => text.replace(/[[\]:*?/\\]/g, " ").slice(0, 31);

export async function toXlsx(report: DashboardReport, locale: Locale, t: Translate): Promise<ArrayBuffer> {
  // Loaded on first export, not at start-up: requiring exceljs costs about 0.3 s.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Tongke";
  for (const [title, table] of [
    [t("dashboard:sheets.pairings"), pairingTable(report, locale, t)],
    [t("dashboard:sheets.statuses"), statusTable(report, locale, t)],
  ] as const) {
    const sheet = workbook.addWorksheet(sheetName(title), { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = table.headers.map((header, i) => ({ header, width: table.widths[i] }));
    sheet.getRow(1).font = { bold: true };
    sheet.addRows(table.rows);
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer).slice().buffer;
}

export function exportFilename(report: DashboardReport, format: ExportFormat): string {
  return `tongke-report-${report.filters.term}${report.filters.stage ? `-${report.filters.stage}` : ""}.${format}`;
}

/** `attachment`, with an RFC 5987 `filename*` when the name is not plain ASCII. */
export function contentDisposition(filename: string): string {
  if (/^[\x20-\x7e]+$/.test(filename) && !/["\\]/.test(filename)) return `attachment; filename="${filename}"`;
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

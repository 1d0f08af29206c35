import { stringify } from "csv-stringify/sync";
import { LIVE_SESSION_CHANGE_REASONS, PAIRING_STATUSES } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { pickName } from "~/i18n/localized-name";
import { formatStamp } from "./format";
import type { DashboardPairing, DashboardRegion, DashboardReport, LiveSessionCounts } from "./queries.server";

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

type Column<T> = [header: string, width: number, value: (row: T) => Cell];

function table<T>(columns: Column<T>[], rows: T[]): ReportTable {
  return {
    headers: columns.map(([header]) => header),
    widths: columns.map(([, width]) => width),
    rows: rows.map((row) => columns.map(([, , value]) => value(row))),
  };
}

/** The live classes' columns, the same for a pairing and a region's totals: each reason code its own column. */
function liveColumns(t: Translate): Column<LiveSessionCounts>[] {
  return [
    [t("dashboard:columns.scheduled"), 12, (c) => c.scheduled],
    [t("dashboard:columns.held"), 10, (c) => c.held],
    [t("dashboard:columns.cancelled"), 10, (c) => c.cancelled],
    ...LIVE_SESSION_CHANGE_REASONS.map((reason): Column<LiveSessionCounts> => [
      t("dashboard:columns.cancelledFor", { reason: t(`dashboard:reasons.${reason}`) }),
      12,
      (c) => c.cancelledBy[reason],
    ]),
    [t("dashboard:columns.minutesTaught"), 12, (c) => c.minutesTaught],
    [t("dashboard:columns.students"), 12, (c) => c.students],
    [t("dashboard:columns.participants"), 12, (c) => c.participants],
  ];
}

/** The per-pairing report: headers and status names translated, school names in the reader's language. */
export function pairingTable(report: DashboardReport, locale: Locale, t: Translate): ReportTable {
  const name = (s: Parameters<typeof pickName>[0]) => pickName(s, locale).text;
  return table<DashboardPairing>(
    [
      [t("dashboard:columns.schoolA"), 36, (p) => name(p.schoolA)],
      [t("dashboard:columns.stageA"), 14, (p) => t(`common:stages.${p.schoolA.stage}`)],
      [t("dashboard:columns.membersA"), 12, (p) => p.schoolA.members],
      [t("dashboard:columns.schoolB"), 36, (p) => name(p.schoolB)],
      [t("dashboard:columns.stageB"), 14, (p) => t(`common:stages.${p.schoolB.stage}`)],
      [t("dashboard:columns.membersB"), 12, (p) => p.schoolB.members],
      [t("dashboard:columns.status"), 14, (p) => t(`pairings:status.${p.status}`)],
      [t("dashboard:columns.planned"), 12, (p) => p.planned],
      ...liveColumns(t),
      [t("dashboard:columns.lessonPlans"), 12, (p) => p.lessonPlans],
      [t("dashboard:columns.observations"), 12, (p) => p.observations],
      [t("dashboard:columns.lastActivity"), 18, (p) => formatStamp(p.lastActivity)],
    ],
    report.pairings,
  );
}

/** Pairings by state, one row per region. */
export function statusTable(report: DashboardReport, locale: Locale, t: Translate): ReportTable {
  return {
    headers: [t("dashboard:columns.region"), ...PAIRING_STATUSES.map((s) => t(`pairings:status.${s}`)), t("dashboard:columns.total")],
    widths: [24, ...PAIRING_STATUSES.map(() => 12), 10],
    rows: report.regions.map((r) => [pickName(r, locale).text, ...PAIRING_STATUSES.map((s) => r.counts[s]), r.total]),
  };
}

/** The live classes of each region's pairings in the term, one row per region. */
export function regionTotalsTable(report: DashboardReport, locale: Locale, t: Translate): ReportTable {
  return table<DashboardRegion["totals"] & { region: string }>(
    [
      [t("dashboard:columns.region"), 24, (r) => r.region],
      [t("dashboard:columns.planned"), 12, (r) => r.planned],
      ...liveColumns(t),
      [t("dashboard:columns.observations"), 12, (r) => r.observations],
    ],
    report.regions.map((r) => ({ ...r.totals, region: pickName(r, locale).text })),
  );
}

/**
 * OWASP's CSV injection defence: a text cell that starts with =, +, -, @, tab or carriage return
 * would be read as a formula by Excel, LibreOffice or Numbers, so it gets a leading apostrophe and
 * is shown as the text it is. Numbers stay numbers (a negative count is not text).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export function neutraliseCell(cell: Cell): Cell {
  return typeof cell === "string" && FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** UTF-8 with a byte-order mark, so Excel opens Chinese and Tibetan correctly; CRLF as Excel writes. */
export function toCsv(table: ReportTable): string {
  const records = [table.headers, ...table.rows].map((row) => row.map(neutraliseCell));
  return stringify(records, { bom: true, record_delimiter: "windows" });
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
    [t("dashboard:sheets.totals"), regionTotalsTable(report, locale, t)],
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

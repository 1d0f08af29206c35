import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  contentDisposition,
  exportFilename,
  pairingTable,
  toCsv,
  toXlsx,
  type ExportFormat,
} from "~/dashboard/export.server";
import { requireDashboardReport } from "~/dashboard/report.server";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { methodNotAllowed, withTranslatedRefusals } from "~/components/refusal.server";

export const loader = withTranslatedRefusals(async ({ request, context, params }: LoaderFunctionArgs) => {
  const format = params.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new Response("Not found", { status: 404 });
  const { report, headers } = await requireDashboardReport(request, context);
  const [locale, fixedT] = await Promise.all([getLocale(request), getFixedT(request, ["dashboard", "pairings", "common"])]);
  const t = (key: string, options?: Record<string, unknown>) => String(fixedT(key as never, options as never));
  const body = format === "csv" ? toCsv(pairingTable(report, locale, t)) : await toXlsx(report, locale, t);
  headers.set("Content-Type", EXPORT_CONTENT_TYPES[format]);
  headers.set("Content-Disposition", contentDisposition(exportFilename(report, format)));
  headers.set("Cache-Control", "private, no-store");
  return new Response(body, { status: 200, headers });
});

export const action = methodNotAllowed;

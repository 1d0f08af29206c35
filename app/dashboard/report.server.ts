import type { AppLoadContext } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { parseDashboardFilters } from "./filters";
import { canSeeDashboard, loadDashboard } from "./queries.server";

/** The dashboard report for the signed-in coordinator or platform admin; a 403 for everyone else. */
export async function requireDashboardReport(request: Request, context: AppLoadContext) {
  const { claims, headers } = await requireUser(request, context);
  const filters = parseDashboardFilters(new URL(request.url));
  const report = await withUserTransaction(context.tongke.database, claims, async (tx) =>
    (await canSeeDashboard(tx)) ? loadDashboard(tx, filters) : null,
  );
  if (!report) throw new Response("Forbidden", { status: 403, headers });
  return { report, headers };
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getLocale } from "~/i18n/i18next.server";
import { calendarOf, icsHeaders } from "~/live/calendar-feed.server";
import { getSessionSummary } from "~/live/queries.server";
import { methodNotAllowed, withTranslatedRefusals } from "~/components/refusal.server";

/** One session as an .ics file, to add to any calendar. */
export const loader = withTranslatedRefusals(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const sessionId = requireUuidParam(params.sessionId);
  const session = await withUserTransaction(context.tongke.database, claims, (tx) => getSessionSummary(tx, sessionId));
  if (!session) throw new Response("Not found", { status: 404 });
  const locale = await getLocale(request);
  const body = await calendarOf([session], { locale, baseUrl: new URL(request.url).origin, name: session.title });
  for (const [k, v] of Object.entries(icsHeaders(`tongke-${sessionId}.ics`))) headers.set(k, v);
  return new Response(body, { headers });
});

export const action = methodNotAllowed;

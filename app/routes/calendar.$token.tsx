import type { LoaderFunctionArgs } from "@remix-run/node";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { isLocale } from "~/i18n/config";
import { calendarOf, feedOwner, icsHeaders } from "~/live/calendar-feed.server";
import { listCalendarSessions } from "~/live/queries.server";
import { methodNotAllowed, withTranslatedRefusals } from "~/components/refusal.server";

/**
 * A person's calendar feed at a secret URL (`/calendar/<token>.ics`) that calendar apps
 * subscribe to: the classes they may see, from 30 days back. The token names the person;
 * what the feed shows is then decided by their policies, as if they had asked.
 */
export const loader = withTranslatedRefusals(async ({ request, context, params }: LoaderFunctionArgs) => {
  const token = (params.token ?? "").replace(/\.ics$/, "");
  const database = await context.tongke.database;
  const userId = await feedOwner(database, token);
  if (!userId) return new Response("Not found", { status: 404 });
  const sessions = await withUserTransaction(database, { sub: userId, role: "authenticated" }, (tx) => listCalendarSessions(tx));
  const lang = new URL(request.url).searchParams.get("lang");
  const body = await calendarOf(sessions, { locale: isLocale(lang) ? lang : "zh-CN", baseUrl: new URL(request.url).origin, name: "" });
  return new Response(body, { headers: { ...icsHeaders("tongke.ics"), "Content-Disposition": "inline" } });
});

export const action = methodNotAllowed;

import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getLocale } from "~/i18n/i18next.server";
import { pickName } from "~/i18n/localized-name";
import { hasCalendarFeed, revokeCalendarFeed, rotateCalendarFeed } from "~/live/writes.server";
import { generateFeedToken, hashFeedToken } from "~/live/calendar.server";
import { listSessions } from "~/live/queries.server";
import { isoWeekOf, parseIsoWeek } from "~/live/time";
import { WeekView } from "~/live/week-view";
import { byIntent, readFormData } from "~/components/refusal.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "live:week.title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const now = new Date();
  const requested = new URL(request.url).searchParams.get("week");
  const week = requested && parseIsoWeek(requested) ? requested : isoWeekOf(now);
  const range = parseIsoWeek(week)!;
  const locale = await getLocale(request);
  const { sessions, feed } = await withUserTransaction(context.tongke.database, claims, async (tx) => ({
    sessions: await listSessions(tx, { from: range.start, to: range.end }),
    feed: await hasCalendarFeed(tx),
  }));
  return data(
    {
      week,
      now: now.toISOString(),
      locale,
      feed,
      sessions: sessions.map((s) => ({
        id: s.id,
        title: s.title,
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        status: s.status,
        mainSchoolName: pickName(s.mainSchool, locale).text,
        receivingSchoolNames: s.receiving.map((r) => pickName(r.school, locale).text),
      })),
    },
    { headers },
  );
};

/** The personal calendar feed: a new secret URL (shown once, stored hashed), or none. */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  return byIntent(request, await readFormData(request), {
    "revoke-feed": async () => {
      await withUserTransaction(context.tongke.database, claims, (tx) => revokeCalendarFeed(tx));
      return data({ feedUrl: null, revoked: true }, { headers });
    },
    "rotate-feed": async () => {
      const token = generateFeedToken();
      await withUserTransaction(context.tongke.database, claims, (tx) => rotateCalendarFeed(tx, hashFeedToken(token)));
      const locale = await getLocale(request);
      const feedUrl = `${new URL(request.url).origin}/calendar/${token}.ics?lang=${encodeURIComponent(locale)}`;
      return data({ feedUrl: feedUrl as string | null, revoked: false }, { headers });
    },
  });
};

export default function LiveWeek() {
  const { t } = useTranslation("live");
  const { week, now, locale, feed, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t("week.title")}</h1>
      <WeekView
        week={week}
        now={new Date(now)}
        lang={locale}
        sessions={sessions.map((s) => ({ ...s, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) }))}
        hrefFor={(id) => `/live/${id}`}
        weekHref={(w) => `/live?week=${w}`}
      />
      <section className="card" aria-labelledby="feed-heading">
        <h2 id="feed-heading">{t("feed.heading")}</h2>
        <p className="muted">{t("feed.intro")}</p>
        {result?.feedUrl ? (
          <div className="notice" role="status">
            <p>{t("feed.created")}</p>
            <label htmlFor="feed-url">{t("feed.url")}</label>
            <input id="feed-url" type="text" readOnly value={result.feedUrl} className="feed-url" />
          </div>
        ) : null}
        {result?.revoked ? (
          <p className="notice" role="status">
            {t("feed.revoked")}
          </p>
        ) : null}
        <Form method="post" className="actions">
          <button type="submit" name="intent" value="rotate-feed" className="button">
            {t(feed ? "feed.rotate" : "feed.create")}
          </button>
          {feed ? (
            <button type="submit" name="intent" value="revoke-feed" className="button button--secondary">
              {t("feed.revoke")}
            </button>
          ) : null}
        </Form>
        <p>
          <Link to="/pairings">{t("week.schedule")}</Link>
        </p>
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

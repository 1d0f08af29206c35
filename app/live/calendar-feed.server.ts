import { sql } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { selectRows } from "~/db/execute.server";
import { withServiceRole } from "~/db/system.server";
import type { Locale } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { pickName } from "~/i18n/localized-name";
import { calendarLabels, hashFeedToken, sessionsCalendar, type CalendarSession } from "./calendar.server";
import type { SessionSummary } from "./queries.server";

/** The calendar of `sessions` in the reader's language. */
export async function calendarOf(sessions: SessionSummary[], { locale, baseUrl, name }: { locale: Locale; baseUrl: string; name: string }) {
  const t = await i18nServer.getFixedT(locale, ["calendar", "pairings", "live"]);
  const translate = (key: string) => t(key);
  const events: CalendarSession[] = sessions.map((s) => ({
    id: s.id,
    title: s.title,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    status: s.status,
    mainSchoolName: pickName(s.mainSchool, locale).text,
    mainClassroomName: s.mainClassroom,
    receivingSchoolNames: s.receiving.map((r) => `${pickName(r.school, locale).text} · ${r.classroom}`),
    lessonPlanTitle: s.lessonPlan?.title ?? null,
    cancelReason: s.cancelReason ? translate(`live:reasons.${s.cancelReason}`) : null,
    sequence: s.sequence,
    updatedAt: s.updatedAt,
  }));
  return sessionsCalendar({ name: name || translate("live:calendarName"), sessions: events, baseUrl, labels: calendarLabels(translate) });
}

/**
 * Whose feed a secret URL's token opens, or null. Calendar apps fetch without a session, so
 * this one lookup is system work; the sessions are then read as that user, through RLS.
 */
export async function feedOwner(db: Database, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await withServiceRole(db, (tx) =>
    selectRows<{ user_id: string }>(tx, sql`select user_id from public.calendar_feeds where token_hash = ${hashFeedToken(token)}`),
  );
  return row?.user_id ?? null;
}

export const icsHeaders = (filename: string) => ({
  "Content-Type": "text/calendar; charset=utf-8",
  "Content-Disposition": `attachment; filename="${filename}"`,
  "Cache-Control": "private, no-store",
});

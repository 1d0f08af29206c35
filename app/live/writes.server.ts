import { sql } from "drizzle-orm";
import { formMessage, type FormMessages } from "~/components/form";
import type { Transaction } from "~/db/client.server";
import type { LiveSessionChangeReason, ObservationCriterion } from "~/db/enums";
import { selectRows } from "~/db/execute.server";
import { refusalOf } from "~/db/refusals";
import type { Locale } from "~/i18n/config";
import { parseClash } from "./errors";
import type { ChatMessage } from "./queries.server";
import type { ScheduleSession } from "./schemas";
import { formatSchoolTimeRange, weeklyOccurrences } from "./time";

/**
 * The translated refusal of a live-session function (a clash names the classroom or teacher
 * and when they are booked); rethrows anything unexpected.
 */
export function liveRefusal(error: unknown, locale: Locale): FormMessages {
  const refusal = refusalOf(error, "live");
  if (!refusal) throw error;
  if (refusal.reason === "clash") {
    const clash = parseClash(refusal.pg.detail);
    if (clash) {
      return formMessage(clash.kind === "classroom" ? "live:errors.clashClassroom" : "live:errors.clashTeacher", {
        name: clash.name ?? "",
        time: formatSchoolTimeRange(clash.sessionStartsAt, clash.sessionEndsAt, locale),
      });
    }
  }
  return formMessage(refusal.key);
}

const timestamps = (dates: Date[]) =>
  sql`array[${sql.join(
    dates.map((d) => sql`${d.toISOString()}::timestamptz`),
    sql`, `,
  )}]`;

/** Schedules the session, or its weekly series up to `repeatUntil`; returns the ids. Throws RangeError past 30 weeks. */
export async function scheduleSessions(tx: Transaction, pairingId: string, value: ScheduleSession): Promise<string[]> {
  const endsAt = new Date(value.startsAt.getTime() + value.durationMinutes * 60_000);
  const occurrences = value.repeatWeekly
    ? weeklyOccurrences(value.startsAt, endsAt, value.repeatUntil ?? null)
    : [{ startsAt: value.startsAt, endsAt }];
  const receiving = value.receiving.map((r) => ({ classroom_id: r.classroomId, teacher_id: r.teacherId }));
  const [row] = await selectRows<{ ids: string[] }>(
    tx,
    sql`select public.schedule_live_session(
          ${pairingId}, ${value.title}, ${value.lessonPlanId ?? null}, ${value.mainClassroomId}, ${value.mainTeacherId},
          ${JSON.stringify(receiving)}::jsonb,
          ${timestamps(occurrences.map((o) => o.startsAt))}, ${timestamps(occurrences.map((o) => o.endsAt))}) as ids`,
  );
  return row.ids;
}

export async function rescheduleSession(
  tx: Transaction,
  sessionId: string,
  value: { startsAt: Date; durationMinutes: number; reason: LiveSessionChangeReason; note?: string },
) {
  const endsAt = new Date(value.startsAt.getTime() + value.durationMinutes * 60_000);
  await tx.execute(
    sql`select public.reschedule_live_session(${sessionId}, ${value.startsAt.toISOString()}::timestamptz,
          ${endsAt.toISOString()}::timestamptz, ${value.reason}, ${value.note ?? null})`,
  );
}

export async function cancelSession(tx: Transaction, sessionId: string, value: { reason: LiveSessionChangeReason; note?: string }) {
  await tx.execute(sql`select public.cancel_live_session(${sessionId}, ${value.reason}, ${value.note ?? null})`);
}

export async function recordHeadcount(tx: Transaction, sessionId: string, classroomId: string, headcount: number) {
  await tx.execute(sql`select public.record_live_session_headcount(${sessionId}, ${classroomId}, ${headcount})`);
}

export async function submitObservation(tx: Transaction, sessionId: string, rubric: Record<ObservationCriterion, number>, notes: string) {
  await tx.execute(sql`select public.submit_live_session_observation(${sessionId}, ${JSON.stringify(rubric)}::jsonb, ${notes})`);
}

export async function saveReflection(tx: Transaction, sessionId: string, body: string) {
  await tx.execute(sql`select public.save_live_session_reflection(${sessionId}, ${body})`);
}

/** Posts to the room's chat as the signed-in user (the insert policy checks they may join). */
export async function postMessage(tx: Transaction, sessionId: string, body: string): Promise<ChatMessage> {
  const [row] = await selectRows<{ id: string; author_id: string; author_name: string | null; body: string; created_at: Date | string }>(
    tx,
    sql`with m as (insert into public.live_session_messages (session_id, body) values (${sessionId}, ${body})
                   returning id, author_id, body, created_at)
        select m.*, p.display_name as author_name from m left join public.profiles p on p.id = m.author_id`,
  );
  return {
    id: row.id,
    authorId: row.author_id,
    authorName: row.author_name ?? "",
    body: row.body,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Creates or replaces the signed-in user's calendar-feed token (stored hashed). */
export async function rotateCalendarFeed(tx: Transaction, tokenHash: string) {
  await tx.execute(sql`insert into public.calendar_feeds (token_hash) values (${tokenHash})
                       on conflict (user_id) do update set token_hash = excluded.token_hash`);
}

export async function revokeCalendarFeed(tx: Transaction) {
  await tx.execute(sql`delete from public.calendar_feeds where user_id = (select auth.uid())`);
}

export async function hasCalendarFeed(tx: Transaction): Promise<boolean> {
  const rows = await selectRows<{ one: number }>(tx, sql`select 1 as one from public.calendar_feeds where user_id = (select auth.uid())`);
  return rows.length > 0;
}

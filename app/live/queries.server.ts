import { sql } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
import type { LiveRole, LiveSessionChangeReason, LiveSessionStatus, ObservationCriterion } from "~/db/enums";
import { selectRows } from "~/db/execute.server";

/** Everything here runs as the signed-in user: the policies decide what comes back. */

interface Names {
  nameZh: string;
  nameBo: string | null;
  nameEn: string | null;
}

export interface SessionSummary {
  id: string;
  pairingId: string;
  seriesId: string | null;
  title: string;
  status: LiveSessionStatus;
  startsAt: Date;
  endsAt: Date;
  cancelReason: LiveSessionChangeReason | null;
  sequence: number;
  updatedAt: Date;
  mainClassroom: string;
  mainSchool: Names;
  mainTeacherId: string;
  mainTeacherName: string | null;
  receiving: { classroomId: string; classroom: string; school: Names; teacherId: string; teacherName: string | null }[];
  lessonPlan: { id: string; title: string } | null;
}

interface SummaryRow {
  id: string;
  pairing_id: string;
  series_id: string | null;
  title: string;
  status: LiveSessionStatus;
  starts_at: Date | string;
  ends_at: Date | string;
  cancel_reason: LiveSessionChangeReason | null;
  sequence: number;
  updated_at: Date | string;
  main_classroom: string;
  main_school_zh: string;
  main_school_bo: string | null;
  main_school_en: string | null;
  main_teacher_id: string;
  main_teacher_name: string | null;
  receiving:
    | {
        classroom_id: string;
        classroom: string;
        name_zh: string;
        name_bo: string | null;
        name_en: string | null;
        teacher_id: string;
        teacher_name: string | null;
      }[]
    | string;
  plan_id: string | null;
  plan_title: string | null;
}

const summarySelect = sql`
  select ls.id, ls.pairing_id, ls.series_id, ls.title, ls.status, ls.starts_at, ls.ends_at, ls.cancel_reason, ls.sequence,
         ls.updated_at, mc.name as main_classroom, ms.name_zh as main_school_zh, ms.name_bo as main_school_bo,
         ms.name_en as main_school_en, ls.main_teacher_id,
         -- Names are looked up in the select list, so with a limit only the rows shown ask the
         -- profiles policy (a join asked it for every class in the window, then sorted).
         (select mt.display_name from public.profiles mt where mt.id = ls.main_teacher_id) as main_teacher_name,
         coalesce((
           select jsonb_agg(jsonb_build_object('classroom_id', c.id, 'classroom', c.name, 'name_zh', s.name_zh,
                                               'name_bo', s.name_bo, 'name_en', s.name_en, 'teacher_id', lc.teacher_id,
                                               'teacher_name', t.display_name) order by c.name)
           from public.live_session_classrooms lc
           join public.classrooms c on c.id = lc.classroom_id
           join public.schools s on s.id = c.school_id
           left join public.profiles t on t.id = lc.teacher_id
           where lc.session_id = ls.id), '[]'::jsonb) as receiving,
         lp.id as plan_id, lp.title as plan_title
  from public.live_sessions ls
  join public.classrooms mc on mc.id = ls.main_classroom_id
  join public.schools ms on ms.id = mc.school_id
  left join public.lesson_plans lp on lp.id = ls.lesson_plan_id`;

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

function toSummary(row: SummaryRow): SessionSummary {
  const receiving =
    typeof row.receiving === "string" ? (JSON.parse(row.receiving) as Exclude<SummaryRow["receiving"], string>) : row.receiving;
  return {
    id: row.id,
    pairingId: row.pairing_id,
    seriesId: row.series_id,
    title: row.title,
    status: row.status,
    startsAt: toDate(row.starts_at),
    endsAt: toDate(row.ends_at),
    cancelReason: row.cancel_reason,
    sequence: Number(row.sequence),
    updatedAt: toDate(row.updated_at),
    mainClassroom: row.main_classroom,
    mainSchool: { nameZh: row.main_school_zh, nameBo: row.main_school_bo, nameEn: row.main_school_en },
    mainTeacherId: row.main_teacher_id,
    mainTeacherName: row.main_teacher_name,
    receiving: receiving.map((r) => ({
      classroomId: r.classroom_id,
      classroom: r.classroom,
      school: { nameZh: r.name_zh, nameBo: r.name_bo, nameEn: r.name_en },
      teacherId: r.teacher_id,
      teacherName: r.teacher_name,
    })),
    lessonPlan: row.plan_id && row.plan_title ? { id: row.plan_id, title: row.plan_title } : null,
  };
}

/** Sessions overlapping [from, to) that the reader may see, optionally of one pairing, by start. */
export async function listSessions(
  tx: Transaction,
  {
    from,
    to,
    pairingId,
    limit = 200,
    includeCancelled = true,
  }: { from: Date; to?: Date; pairingId?: string; limit?: number; includeCancelled?: boolean },
): Promise<SessionSummary[]> {
  const rows = await selectRows<SummaryRow>(
    tx,
    sql`${summarySelect}
        where ls.ends_at > ${from.toISOString()}::timestamptz
          and (${to?.toISOString() ?? null}::timestamptz is null or ls.starts_at < ${to?.toISOString() ?? null}::timestamptz)
          and (${pairingId ?? null}::uuid is null or ls.pairing_id = ${pairingId ?? null}::uuid)
          and (${includeCancelled} or ls.status <> 'cancelled')
        order by ls.starts_at, ls.id
        limit ${limit}`,
  );
  return rows.map(toSummary);
}

/**
 * The sessions a user takes part in or observes for their calendar: the ones they teach or
 * receive, and those of pairings of their schools, from 30 days back.
 */
export async function listCalendarSessions(tx: Transaction): Promise<SessionSummary[]> {
  const from = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  return listSessions(tx, { from, limit: 500 });
}

/** One session as lists show it, with the reader's role in it (null: they may read it, not join). */
export async function getSessionSummary(tx: Transaction, sessionId: string): Promise<(SessionSummary & { role: LiveRole | null }) | null> {
  const [row] = await selectRows<SummaryRow & { role: LiveRole | null }>(
    tx,
    sql`select s.*, private.live_session_role(s.id) as role from (${summarySelect} where ls.id = ${sessionId}) s`,
  );
  return row ? { ...toSummary(row), role: row.role } : null;
}

export interface SessionDetail extends SessionSummary {
  role: LiveRole | null;
  canManage: boolean;
  /** Classes are moved only in active pairings (a paused one's can still be cancelled). */
  pairingActive: boolean;
  mainClassroomId: string;
  mainSchoolId: string;
  startedAt: Date | null;
  endedAt: Date | null;
  changes: {
    kind: "rescheduled" | "cancelled";
    reason: LiveSessionChangeReason;
    note: string | null;
    previousStartsAt: Date;
    startsAt: Date | null;
    actorName: string | null;
    createdAt: Date;
  }[];
  attendance: {
    identity: string;
    name: string | null;
    role: LiveRole | null;
    classroom: string | null;
    minutes: number;
    connections: number;
    present: boolean;
  }[];
  headcounts: { classroomId: string; classroom: string; headcount: number }[];
  observations: {
    observerId: string;
    observerName: string | null;
    rubric: Record<ObservationCriterion, number>;
    notes: string;
    updatedAt: Date;
  }[];
  reflections: { authorId: string; authorName: string | null; body: string; updatedAt: Date }[];
}

export async function getSession(tx: Transaction, sessionId: string): Promise<SessionDetail | null> {
  const [row] = await selectRows<
    SummaryRow & {
      main_classroom_id: string;
      main_school_id: string;
      started_at: Date | string | null;
      ended_at: Date | string | null;
      role: LiveRole | null;
      can_manage: boolean;
      pairing_active: boolean;
    }
  >(
    tx,
    sql`select s.*, ls.main_classroom_id, mc.school_id as main_school_id, ls.started_at, ls.ended_at,
               private.live_session_role(ls.id) as role, private.can_manage_live_session(ls.id) as can_manage,
               (select p.status = 'active' from public.pairings p where p.id = ls.pairing_id) as pairing_active
        from (${summarySelect} where ls.id = ${sessionId}) s
        join public.live_sessions ls on ls.id = s.id
        join public.classrooms mc on mc.id = ls.main_classroom_id`,
  );
  if (!row) return null;
  const [changes, attendance, headcounts, observations, reflections] = await Promise.all([
    selectRows<{
      kind: "rescheduled" | "cancelled";
      reason: LiveSessionChangeReason;
      note: string | null;
      previous_starts_at: Date | string;
      starts_at: Date | string | null;
      actor_name: string | null;
      created_at: Date | string;
    }>(
      tx,
      sql`select c.kind, c.reason, c.note, c.previous_starts_at, c.starts_at, p.display_name as actor_name, c.created_at
          from public.live_session_changes c left join public.profiles p on p.id = c.actor_id
          where c.session_id = ${sessionId} order by c.created_at`,
    ),
    selectRows<{
      identity: string;
      name: string | null;
      role: LiveRole | null;
      classroom: string | null;
      seconds: number;
      connections: number;
      present: boolean;
    }>(
      tx,
      sql`select a.identity, max(p.display_name) as name, max(a.role) as role, max(c.name) as classroom,
                 sum(extract(epoch from coalesce(a.left_at, now()) - a.joined_at))::int as seconds,
                 count(*)::int as connections, bool_or(a.left_at is null) as present
          from public.live_session_attendance a
          left join public.profiles p on p.id = a.user_id
          left join public.classrooms c on c.id = a.classroom_id
          where a.session_id = ${sessionId}
          group by a.identity order by min(a.joined_at)`,
    ),
    selectRows<{ classroom_id: string; classroom: string; headcount: number }>(
      tx,
      sql`select h.classroom_id, c.name as classroom, h.headcount
          from public.live_session_headcounts h join public.classrooms c on c.id = h.classroom_id
          where h.session_id = ${sessionId} order by c.name`,
    ),
    selectRows<{
      observer_id: string;
      observer_name: string | null;
      rubric: Record<ObservationCriterion, number> | string;
      notes: string;
      updated_at: Date | string;
    }>(
      tx,
      sql`select o.observer_id, p.display_name as observer_name, o.rubric, o.notes, o.updated_at
          from public.live_session_observations o left join public.profiles p on p.id = o.observer_id
          where o.session_id = ${sessionId} order by o.created_at`,
    ),
    selectRows<{ author_id: string; author_name: string | null; body: string; updated_at: Date | string }>(
      tx,
      sql`select r.author_id, p.display_name as author_name, r.body, r.updated_at
          from public.live_session_reflections r left join public.profiles p on p.id = r.author_id
          where r.session_id = ${sessionId} order by r.created_at`,
    ),
  ]);
  return {
    ...toSummary(row),
    role: row.role,
    canManage: Boolean(row.can_manage),
    pairingActive: Boolean(row.pairing_active),
    mainClassroomId: row.main_classroom_id,
    mainSchoolId: row.main_school_id,
    startedAt: row.started_at ? toDate(row.started_at) : null,
    endedAt: row.ended_at ? toDate(row.ended_at) : null,
    changes: changes.map((c) => ({
      kind: c.kind,
      reason: c.reason,
      note: c.note,
      previousStartsAt: toDate(c.previous_starts_at),
      startsAt: c.starts_at ? toDate(c.starts_at) : null,
      actorName: c.actor_name,
      createdAt: toDate(c.created_at),
    })),
    attendance: attendance.map((a) => ({
      identity: a.identity,
      name: a.name,
      role: a.role,
      classroom: a.classroom,
      minutes: Math.round(Number(a.seconds) / 60),
      connections: Number(a.connections),
      present: Boolean(a.present),
    })),
    headcounts: headcounts.map((h) => ({ classroomId: h.classroom_id, classroom: h.classroom, headcount: Number(h.headcount) })),
    observations: observations.map((o) => ({
      observerId: o.observer_id,
      observerName: o.observer_name,
      rubric: typeof o.rubric === "string" ? (JSON.parse(o.rubric) as Record<ObservationCriterion, number>) : o.rubric,
      notes: o.notes,
      updatedAt: toDate(o.updated_at),
    })),
    reflections: reflections.map((r) => ({
      authorId: r.author_id,
      authorName: r.author_name,
      body: r.body,
      updatedAt: toDate(r.updated_at),
    })),
  };
}

/** What the schedule form offers: both schools' classrooms and teachers, and the pairing's plans. */
export async function scheduleOptions(tx: Transaction, pairingId: string) {
  const [classrooms, teachers, plans] = await Promise.all([
    selectRows<{ id: string; name: string; school_id: string }>(
      tx,
      sql`select c.id, c.name, c.school_id from public.classrooms c
          join public.pairings p on c.school_id in (p.school_a_id, p.school_b_id)
          where p.id = ${pairingId} order by c.name`,
    ),
    selectRows<{ id: string; name: string | null; school_id: string }>(
      tx,
      sql`select distinct m.user_id as id, pr.display_name as name, m.school_id
          from public.school_memberships m
          join public.pairings p on m.school_id in (p.school_a_id, p.school_b_id)
          join public.profiles pr on pr.id = m.user_id
          where p.id = ${pairingId} order by 2, 1`,
    ),
    selectRows<{ id: string; title: string }>(
      tx,
      sql`select lp.id, lp.title from public.lesson_plans lp
          where lp.pairing_id = ${pairingId} and lp.status <> 'archived' order by lp.updated_at desc limit 200`,
    ),
  ]);
  return {
    classrooms: classrooms.map((c) => ({ id: c.id, name: c.name, schoolId: c.school_id })),
    teachers: teachers.map((t) => ({ id: t.id, name: t.name, schoolId: t.school_id })),
    plans,
  };
}

export interface ChatMessage {
  id: string;
  authorId: string;
  authorName: string;
  body: string;
  createdAt: string;
}

/** The chat of a room, oldest first (the last 200), or those after `after`. */
export async function listMessages(tx: Transaction, sessionId: string, after?: Date): Promise<ChatMessage[]> {
  const rows = await selectRows<{ id: string; author_id: string; author_name: string | null; body: string; created_at: Date | string }>(
    tx,
    sql`select * from (
          select m.id, m.author_id, p.display_name as author_name, m.body, m.created_at
          from public.live_session_messages m left join public.profiles p on p.id = m.author_id
          where m.session_id = ${sessionId}
            and (${after?.toISOString() ?? null}::timestamptz is null or m.created_at > ${after?.toISOString() ?? null}::timestamptz)
          order by m.created_at desc, m.id desc limit 200) recent
        order by created_at, id`,
  );
  return rows.map((r) => ({
    id: r.id,
    authorId: r.author_id,
    authorName: r.author_name ?? "",
    body: r.body,
    createdAt: toDate(r.created_at).toISOString(),
  }));
}

/** What the token endpoint needs: the session's state and the caller's role and school in it. */
export async function joinFacts(tx: Transaction, sessionId: string) {
  const [row] = await selectRows<{
    status: LiveSessionStatus;
    role: LiveRole | null;
    school_id: string | null;
    classroom_id: string | null;
    name: string | null;
  }>(
    tx,
    sql`select ls.status, seat.role, seat.school_id, seat.classroom_id,
               (select p.display_name from public.profiles p where p.id = (select auth.uid())) as name
        from public.live_sessions ls
        cross join private.live_session_seat(ls.id) seat
        where ls.id = ${sessionId}`,
  );
  return row ? { status: row.status, role: row.role, schoolId: row.school_id, classroomId: row.classroom_id, name: row.name } : null;
}

export interface PlanClass {
  sessionId: string;
  title: string;
  status: LiveSessionStatus;
  startsAt: Date;
  reflections: { authorName: string | null; body: string }[];
}

/** The live classes taught from a plan, newest first, with their teachers' reflections. */
export async function classesOfPlan(tx: Transaction, planId: string): Promise<PlanClass[]> {
  const rows = await selectRows<{
    id: string;
    title: string;
    status: LiveSessionStatus;
    starts_at: Date | string;
    reflections: { author_name: string | null; body: string }[] | string;
  }>(
    tx,
    sql`select ls.id, ls.title, ls.status, ls.starts_at,
               coalesce((select jsonb_agg(jsonb_build_object('author_name', p.display_name, 'body', r.body) order by r.created_at)
                         from public.live_session_reflections r left join public.profiles p on p.id = r.author_id
                         where r.session_id = ls.id), '[]'::jsonb) as reflections
        from public.live_sessions ls
        where ls.lesson_plan_id = ${planId}
        order by ls.starts_at desc limit 50`,
  );
  return rows.map((r) => ({
    sessionId: r.id,
    title: r.title,
    status: r.status,
    startsAt: toDate(r.starts_at),
    reflections: (typeof r.reflections === "string" ? JSON.parse(r.reflections) : r.reflections).map(
      (x: { author_name: string | null; body: string }) => ({
        authorName: x.author_name,
        body: x.body,
      }),
    ),
  }));
}

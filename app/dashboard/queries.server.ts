import { sql } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
import { LIVE_SESSION_CHANGE_REASONS, PAIRING_STATUSES, type LiveSessionChangeReason, type PairingStatus, type Stage } from "~/db/enums";
import { selectRows } from "~/db/execute.server";
import { termMonths, termWindow, type DashboardFilters } from "./filters";

/**
 * The activity-log kinds the dashboard counts. Live classes and their observations are
 * counted from their own tables, which are the truth; the log dates the last activity and
 * feeds the activity chart.
 */
export const DASHBOARD_EVENT_KINDS = {
  lessonPlans: "lesson_plan_created",
} as const;

/** A pairing's live classes (同步课堂) in a term: the sessions that start in it. */
export interface LiveSessionCounts {
  /** Not cancelled: still to come, live or ended. */
  scheduled: number;
  /** Ended. */
  held: number;
  cancelled: number;
  cancelledBy: Record<LiveSessionChangeReason, number>;
  /** Whole minutes of the ended sessions, as the video server timed them, else as timetabled. */
  minutesTaught: number;
  /** The ended sessions' classroom headcounts, summed: student attendances, never names. */
  students: number;
  /** Distinct people who joined the sessions' rooms. */
  participants: number;
  /** 听评课 submitted on the sessions. */
  observations: number;
}

export interface DashboardRegion {
  id: string;
  nameZh: string;
  nameBo: string | null;
  nameEn: string | null;
  counts: Record<PairingStatus, number>;
  total: number;
  /**
   * The live classes of the region's pairings: their sums, except participants, who are
   * counted once however many of the region's pairings they joined. Planned: the goals set.
   */
  totals: LiveSessionCounts & { planned: number };
}

export interface DashboardSchool {
  id: string;
  nameZh: string;
  nameBo: string | null;
  nameEn: string | null;
  stage: Stage;
  regionId: string;
  /** Memberships the reader's policies show (partner schools only while the pairing is open). */
  members: number;
}

export interface DashboardPairing extends LiveSessionCounts {
  id: string;
  status: PairingStatus;
  schoolA: DashboardSchool;
  schoolB: DashboardSchool;
  /** Joint lessons planned for the term (the goal), or null without goals for it. */
  planned: number | null;
  lessonPlans: number;
  lastActivity: string | null;
}

export interface DashboardReport {
  filters: DashboardFilters;
  regions: DashboardRegion[];
  pairings: DashboardPairing[];
  /** Activity-log events of the listed pairings per month of the term. */
  activity: { month: string; events: number }[];
}

/** Whether the signed-in user coordinates a region or is a platform admin: the nav's cheap check. */
export async function canSeeDashboard(tx: Transaction): Promise<boolean> {
  const [row] = await selectRows<{ ok: boolean }>(
    tx,
    sql`select exists (select 1 from public.coordinator_scopes where user_id = (select auth.uid()))
        or exists (select 1 from public.platform_admins where user_id = (select auth.uid())) as ok`,
  );
  return Boolean(row?.ok);
}

interface RegionRow {
  id: string;
  name_zh: string;
  name_bo: string | null;
  name_en: string | null;
}

/** The regions the signed-in user coordinates; every region for platform admins. */
export function dashboardRegions(tx: Transaction) {
  return selectRows<RegionRow>(
    tx,
    sql`select r.id, r.name_zh, r.name_bo, r.name_en
        from public.regions r
        where exists (select 1 from public.platform_admins a where a.user_id = (select auth.uid()))
           or r.id in (select c.region_id from public.coordinator_scopes c where c.user_id = (select auth.uid()))
        order by r.code`,
  );
}

/**
 * Pairings touching `regionIds` that existed during the term (proposed before it ended,
 * not closed before it began) and, with a stage, where either school is of that stage.
 */
function scopedPairings(regionIds: string[], filters: DashboardFilters) {
  const { start, end } = termWindow(filters.term);
  return sql`
    select p.id, p.status, p.proposed_at,
           a.id as a_id, a.name_zh as a_name_zh, a.name_bo as a_name_bo, a.name_en as a_name_en,
           a.stage as a_stage, a.region_id as a_region_id,
           b.id as b_id, b.name_zh as b_name_zh, b.name_bo as b_name_bo, b.name_en as b_name_en,
           b.stage as b_stage, b.region_id as b_region_id
    from public.pairings p
    join public.schools a on a.id = p.school_a_id
    join public.schools b on b.id = p.school_b_id
    where (a.region_id = any(${sql.param(regionIds)}::uuid[]) or b.region_id = any(${sql.param(regionIds)}::uuid[]))
      and (${filters.stage}::text is null or a.stage = ${filters.stage}::text or b.stage = ${filters.stage}::text)
      and p.proposed_at < ${end.toISOString()}::timestamptz
      and coalesce(p.ended_at, case when p.status in ('declined', 'withdrawn') then p.decided_at end, 'infinity')
          >= ${start.toISOString()}::timestamptz`;
}

type PairingRow = { id: string; status: PairingStatus } & Record<`${"a" | "b"}_${"id" | "name_zh" | "stage" | "region_id"}`, string> &
  Record<`${"a" | "b"}_name_${"bo" | "en"}`, string | null>;

const toIso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const noSessions = (): LiveSessionCounts => ({
  scheduled: 0,
  held: 0,
  cancelled: 0,
  cancelledBy: Object.fromEntries(LIVE_SESSION_CHANGE_REASONS.map((r) => [r, 0])) as Record<LiveSessionChangeReason, number>,
  minutesTaught: 0,
  students: 0,
  participants: 0,
  observations: 0,
});

type SessionRow = { pairing_id: string; scheduled: number; held: number; cancelled: number; minutes: number } & Record<
  `cancelled_${LiveSessionChangeReason}`,
  number
>;

/**
 * The live classes of the term: one statement for the sessions and one for each of their
 * headcounts, attendance and observations, aggregated per pairing; distinct participants
 * also per region, over the regions each pairing touches that the reader coordinates.
 */
async function loadLiveSessionCounts(tx: Transaction, pairingRows: PairingRow[], regionIds: string[], term: string) {
  const { start, end } = termWindow(term);
  const ofTerm = sql`s.pairing_id = any(${sql.param(pairingRows.map((p) => p.id))}::uuid[])
    and s.starts_at >= ${start.toISOString()}::timestamptz and s.starts_at < ${end.toISOString()}::timestamptz`;
  const touching = pairingRows.flatMap((p) =>
    [...new Set([p.a_region_id, p.b_region_id])].filter((r) => regionIds.includes(r)).map((r) => [p.id, r]),
  );
  const [sessionRows, headcountRows, attendanceRows, observationRows] = await Promise.all([
    selectRows<SessionRow>(
      tx,
      sql`select s.pairing_id,
            count(*) filter (where s.status <> 'cancelled')::int as scheduled,
            count(*) filter (where s.status = 'ended')::int as held,
            count(*) filter (where s.status = 'cancelled')::int as cancelled,
            ${sql.join(
              LIVE_SESSION_CHANGE_REASONS.map(
                (r) => sql`count(*) filter (where s.cancel_reason = ${r})::int as ${sql.identifier(`cancelled_${r}`)}`,
              ),
              sql`, `,
            )},
            coalesce(sum(floor(extract(epoch from coalesce(s.ended_at - s.started_at, s.ends_at - s.starts_at)) / 60))
              filter (where s.status = 'ended'), 0)::int as minutes
          from public.live_sessions s
          where ${ofTerm}
          group by s.pairing_id`,
    ),
    selectRows<{ pairing_id: string; n: number }>(
      tx,
      sql`select s.pairing_id, sum(h.headcount)::int as n
          from public.live_session_headcounts h join public.live_sessions s on s.id = h.session_id
          where ${ofTerm} and s.status = 'ended'
          group by s.pairing_id`,
    ),
    selectRows<{ pairing_id: string | null; region_id: string | null; n: number }>(
      tx,
      sql`select t.pairing_id, t.region_id, count(distinct a.user_id)::int as n
          from public.live_session_attendance a
          join public.live_sessions s on s.id = a.session_id
          join unnest(${sql.param(touching.map(([p]) => p))}::uuid[], ${sql.param(touching.map(([, r]) => r))}::uuid[])
            as t (pairing_id, region_id) on t.pairing_id = s.pairing_id
          where ${ofTerm}
          group by grouping sets ((t.pairing_id), (t.region_id))`,
    ),
    selectRows<{ pairing_id: string; n: number }>(
      tx,
      sql`select s.pairing_id, count(*)::int as n
          from public.live_session_observations o join public.live_sessions s on s.id = o.session_id
          where ${ofTerm}
          group by s.pairing_id`,
    ),
  ]);

  const byPairing = new Map(pairingRows.map((p) => [p.id, noSessions()]));
  for (const r of sessionRows) {
    Object.assign(byPairing.get(r.pairing_id)!, {
      scheduled: Number(r.scheduled),
      held: Number(r.held),
      cancelled: Number(r.cancelled),
      cancelledBy: Object.fromEntries(LIVE_SESSION_CHANGE_REASONS.map((reason) => [reason, Number(r[`cancelled_${reason}`])])),
      minutesTaught: Number(r.minutes),
    });
  }
  for (const r of headcountRows) byPairing.get(r.pairing_id)!.students = Number(r.n);
  for (const r of observationRows) byPairing.get(r.pairing_id)!.observations = Number(r.n);
  const participantsByRegion = new Map<string, number>();
  for (const r of attendanceRows) {
    if (r.pairing_id !== null) byPairing.get(r.pairing_id)!.participants = Number(r.n);
    else if (r.region_id !== null) participantsByRegion.set(r.region_id, Number(r.n));
  }
  return { byPairing, participantsByRegion };
}

/** A region's totals over the listed pairings touching it. */
function regionTotals(regionId: string, pairings: DashboardPairing[], participants: number): DashboardRegion["totals"] {
  const totals = { ...noSessions(), planned: 0, participants };
  for (const p of pairings) {
    if (p.schoolA.regionId !== regionId && p.schoolB.regionId !== regionId) continue;
    totals.planned += p.planned ?? 0;
    totals.scheduled += p.scheduled;
    totals.held += p.held;
    totals.cancelled += p.cancelled;
    for (const reason of LIVE_SESSION_CHANGE_REASONS) totals.cancelledBy[reason] += p.cancelledBy[reason];
    totals.minutesTaught += p.minutesTaught;
    totals.students += p.students;
    totals.observations += p.observations;
  }
  return totals;
}

/**
 * The dashboard for the signed-in user, entirely through their policies: one statement
 * per table (regions, pairings and their status counts, memberships, goals, events, live
 * sessions, headcounts, attendance, observations), each aggregated in SQL over the whole
 * set of pairings, never per row.
 */
export async function loadDashboard(tx: Transaction, filters: DashboardFilters): Promise<DashboardReport> {
  const regionRows = await dashboardRegions(tx);
  const regionIds = regionRows.map((r) => r.id);
  if (regionIds.length === 0) return { filters, regions: [], pairings: [], activity: [] };

  const [pairingRows, statusRows] = await Promise.all([
    selectRows<PairingRow>(tx, sql`${scopedPairings(regionIds, filters)} order by p.proposed_at desc, p.id`),
    selectRows<{ region_id: string; status: PairingStatus; n: number }>(
      tx,
      sql`select r.id as region_id, s.status, count(*)::int as n
          from (${scopedPairings(regionIds, filters)}) s
          join unnest(${sql.param(regionIds)}::uuid[]) as r (id) on r.id in (s.a_region_id, s.b_region_id)
          group by r.id, s.status`,
    ),
  ]);

  const pairingIds = pairingRows.map((p) => p.id);
  const schoolIds = [...new Set(pairingRows.flatMap((p) => [p.a_id, p.b_id]))];
  const { start, end } = termWindow(filters.term);
  const inTerm = sql`e.created_at >= ${start.toISOString()}::timestamptz and e.created_at < ${end.toISOString()}::timestamptz`;
  const [memberRows, goalRows, eventRows, monthRows] = pairingIds.length
    ? await Promise.all([
        selectRows<{ school_id: string; n: number }>(
          tx,
          sql`select m.school_id, count(*)::int as n from public.school_memberships m
              where m.school_id = any(${sql.param(schoolIds)}::uuid[]) group by m.school_id`,
        ),
        selectRows<{ pairing_id: string; planned: number }>(
          tx,
          sql`select g.pairing_id, g.joint_lessons_planned as planned from public.pairing_goals g
              where g.term = ${filters.term} and g.pairing_id = any(${sql.param(pairingIds)}::uuid[])`,
        ),
        selectRows<{ pairing_id: string; lesson_plans: number; last_activity: Date | string | null }>(
          tx,
          sql`select e.pairing_id,
                count(*) filter (where e.kind = ${DASHBOARD_EVENT_KINDS.lessonPlans} and ${inTerm})::int as lesson_plans,
                max(e.created_at) as last_activity
              from public.pairing_events e
              where e.pairing_id = any(${sql.param(pairingIds)}::uuid[])
              group by e.pairing_id`,
        ),
        selectRows<{ month: string; n: number }>(
          tx,
          sql`select to_char(e.created_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, count(*)::int as n
              from public.pairing_events e
              where e.pairing_id = any(${sql.param(pairingIds)}::uuid[]) and ${inTerm}
              group by 1`,
        ),
      ])
    : [[], [], [], []];
  const live = pairingIds.length
    ? await loadLiveSessionCounts(tx, pairingRows, regionIds, filters.term)
    : { byPairing: new Map<string, LiveSessionCounts>(), participantsByRegion: new Map<string, number>() };
  const perMonth = new Map(monthRows.map((r) => [r.month, Number(r.n)]));

  const members = new Map(memberRows.map((r) => [r.school_id, Number(r.n)]));
  const goals = new Map(goalRows.map((r) => [r.pairing_id, Number(r.planned)]));
  const events = new Map(eventRows.map((r) => [r.pairing_id, r]));
  const school = (p: PairingRow, side: "a" | "b"): DashboardSchool => ({
    id: p[`${side}_id`],
    nameZh: p[`${side}_name_zh`],
    nameBo: p[`${side}_name_bo`],
    nameEn: p[`${side}_name_en`],
    stage: p[`${side}_stage`] as Stage,
    regionId: p[`${side}_region_id`],
    members: members.get(p[`${side}_id`]) ?? 0,
  });

  const pairings = pairingRows.map((p): DashboardPairing => {
    const e = events.get(p.id);
    return {
      id: p.id,
      status: p.status,
      schoolA: school(p, "a"),
      schoolB: school(p, "b"),
      planned: goals.get(p.id) ?? null,
      ...(live.byPairing.get(p.id) ?? noSessions()),
      lessonPlans: Number(e?.lesson_plans ?? 0),
      lastActivity: toIso(e?.last_activity ?? null),
    };
  });
  return {
    filters,
    activity: termMonths(filters.term).map((month) => ({ month, events: perMonth.get(month) ?? 0 })),
    regions: regionRows.map((r) => {
      const counts = Object.fromEntries(PAIRING_STATUSES.map((s) => [s, 0])) as Record<PairingStatus, number>;
      for (const row of statusRows) if (row.region_id === r.id) counts[row.status] = Number(row.n);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const totals = regionTotals(r.id, pairings, live.participantsByRegion.get(r.id) ?? 0);
      return { id: r.id, nameZh: r.name_zh, nameBo: r.name_bo, nameEn: r.name_en, counts, total, totals };
    }),
    pairings,
  };
}

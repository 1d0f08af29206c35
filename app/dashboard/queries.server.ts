import { sql } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
import { PAIRING_STATUSES, type PairingStatus, type Stage } from "~/db/enums";
import { selectRows } from "~/db/execute.server";
import { termMonths, termWindow, type DashboardFilters } from "./filters";

/**
 * The activity-log kinds the dashboard counts. Later migrations add them to
 * pairing_events_kind_check (live classes, lesson plans, observations); until then the
 * counts are zero, but the queries are the real ones.
 */
export const DASHBOARD_EVENT_KINDS = {
  held: "live_session_ended",
  cancelled: "live_session_cancelled",
  lessonPlans: "lesson_plan_created",
  observations: "observation_submitted",
} as const;

export interface DashboardRegion {
  id: string;
  nameZh: string;
  nameBo: string | null;
  nameEn: string | null;
  counts: Record<PairingStatus, number>;
  total: number;
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

export interface DashboardPairing {
  id: string;
  status: PairingStatus;
  schoolA: DashboardSchool;
  schoolB: DashboardSchool;
  /** Joint lessons planned for the term, or null without goals for it. */
  planned: number | null;
  held: number;
  cancelled: number;
  lessonPlans: number;
  observations: number;
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

/**
 * The dashboard for the signed-in user, entirely through their policies: one statement
 * per table (regions, pairings and their status counts, memberships, goals, events),
 * each aggregated in SQL over the whole set of pairings, never per row.
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
  const k = DASHBOARD_EVENT_KINDS;
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
        selectRows<{
          pairing_id: string;
          held: number;
          cancelled: number;
          lesson_plans: number;
          observations: number;
          last_activity: Date | string | null;
        }>(
          tx,
          sql`select e.pairing_id,
                count(*) filter (where e.kind = ${k.held} and ${inTerm})::int as held,
                count(*) filter (where e.kind = ${k.cancelled} and ${inTerm})::int as cancelled,
                count(*) filter (where e.kind = ${k.lessonPlans} and ${inTerm})::int as lesson_plans,
                count(*) filter (where e.kind = ${k.observations} and ${inTerm})::int as observations,
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

  return {
    filters,
    activity: termMonths(filters.term).map((month) => ({ month, events: perMonth.get(month) ?? 0 })),
    regions: regionRows.map((r) => {
      const counts = Object.fromEntries(PAIRING_STATUSES.map((s) => [s, 0])) as Record<PairingStatus, number>;
      for (const row of statusRows) if (row.region_id === r.id) counts[row.status] = Number(row.n);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      return { id: r.id, nameZh: r.name_zh, nameBo: r.name_bo, nameEn: r.name_en, counts, total };
    }),
    pairings: pairingRows.map((p) => {
      const e = events.get(p.id);
      return {
        id: p.id,
        status: p.status,
        schoolA: school(p, "a"),
        schoolB: school(p, "b"),
        planned: goals.get(p.id) ?? null,
        held: Number(e?.held ?? 0),
        cancelled: Number(e?.cancelled ?? 0),
        lessonPlans: Number(e?.lesson_plans ?? 0),
        observations: Number(e?.observations ?? 0),
        lastActivity: toIso(e?.last_activity ?? null),
      };
    }),
  };
}

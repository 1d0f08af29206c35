import { beforeAll, describe, expect, it } from "vitest";
import { previousTerm, termWindow, type DashboardFilters } from "../../app/dashboard/filters";
import { canSeeDashboard, DASHBOARD_EVENT_KINDS, loadDashboard, type DashboardReport } from "../../app/dashboard/queries.server";
import { PAIRING_EVENT_KINDS, PAIRING_STATUSES, type PairingStatus } from "../../app/db/enums";
import { nextTerm, termOf } from "../../app/pairings/schemas";
import { setupTestDatabase } from "../support/db-suite";
import { addMembership, createRegion, createSchool, createUser } from "../support/factories";
import { createPairingWorld, type PairingPersona, type PairingWorld } from "../support/pairing-world";

const database = setupTestDatabase();

const current = termOf(new Date());
const next = nextTerm(current);
const previous = previousTerm(current);

const zero = () => Object.fromEntries(PAIRING_STATUSES.map((s) => [s, 0])) as Record<PairingStatus, number>;
const counts = (some: Partial<Record<PairingStatus, number>>) => ({ ...zero(), ...some });

let w: PairingWorld;
const letters = new Map<string, string>();

/** The report as letters and numbers: "A⇄B" → what the reader sees of it. */
function summary(report: DashboardReport) {
  return {
    regions: Object.fromEntries(report.regions.map((r) => [letters.get(r.id) ?? r.id, r.counts])),
    pairings: Object.fromEntries(
      report.pairings.map((p) => [
        `${letters.get(p.schoolA.id)}⇄${letters.get(p.schoolB.id)}`,
        [p.status, p.schoolA.members, p.schoolB.members, p.planned, p.held, p.cancelled, p.lessonPlans, p.observations].join(" "),
      ]),
    ),
  };
}

function dashboardAs(persona: PairingPersona, filters: Partial<DashboardFilters> = {}) {
  return w.as(persona, (tx) => loadDashboard(tx, { term: current, stage: null, ...filters }));
}

beforeAll(async () => {
  const handle = database.handle;
  w = await createPairingWorld(handle);
  const regionV = await createRegion(handle);
  const schoolE = await createSchool(handle, w.regionX.id, { stage: "middle" });
  const schoolF = await createSchool(handle, w.regionY.id, { stage: "middle" });
  const schoolG = await createSchool(handle, w.regionY.id);
  const schoolH = await createSchool(handle, regionV.id);
  for (const [school, name] of [
    [schoolE, "teacherE"],
    [schoolF, "teacherF"],
    [schoolG, "teacherG"],
    [schoolH, "teacherH"],
  ] as const) {
    await addMembership(handle, school.id, (await createUser(handle, { displayName: name })).id, "teacher");
  }
  const s = { A: w.schoolA, B: w.schoolB, C: w.schoolC, E: schoolE, F: schoolF, G: schoolG, H: schoolH };
  for (const [letter, school] of Object.entries(s)) letters.set(school.id, letter);
  letters.set(w.regionX.id, "X").set(w.regionY.id, "Y").set(w.regionZ.id, "Z").set(regionV.id, "V");

  const pair = (a: keyof typeof s, b: keyof typeof s, jointLessonsPlanned: number) => ({
    schoolA: s[a].id,
    schoolB: s[b].id,
    term: current,
    jointLessonsPlanned,
  });
  const ab = await w.pairingIn("active", pair("A", "B", 8));
  await w.setGoals("coordinatorY", ab.id, { term: next, jointLessonsPlanned: 5 });
  await w.pairingIn("paused", pair("E", "F", 4));
  await w.pairingIn("ended", pair("C", "G", 6));
  await w.pairingIn("proposed", pair("A", "F", 3));
  await w.pairingIn("declined", pair("C", "F", 2));
  await w.pairingIn("requested", pair("A", "G", 1));
  await w.propose("coordinatorX", pair("C", "H", 7));
  await w.pairingIn("withdrawn", pair("E", "B", 9));

  // What the migrations of live classes, lesson plans and observations will allow.
  await handle.exec(`
    alter table public.pairing_events drop constraint pairing_events_kind_check;
    alter table public.pairing_events add constraint pairing_events_kind_check check (kind in (
      ${[...PAIRING_EVENT_KINDS, ...Object.values(DASHBOARD_EVENT_KINDS)].map((k) => `'${k}'`).join(", ")}));
  `);
  const beforeTerm = new Date(termWindow(current).start.getTime() - 86_400_000).toISOString();
  const k = DASHBOARD_EVENT_KINDS;
  for (const [kind, times, at] of [
    [k.held, 3, null],
    [k.cancelled, 1, null],
    [k.lessonPlans, 2, null],
    [k.observations, 1, null],
    [k.held, 1, beforeTerm],
  ] as const) {
    for (let i = 0; i < times; i++) {
      await handle.query(`insert into public.pairing_events (pairing_id, kind, created_at) values ($1, $2, coalesce($3::timestamptz, now()))`, [
        ab.id,
        kind,
        at,
      ]);
    }
  }
});

// Each pairing: status, members of A, members of B (as the policies show them), planned,
// held, cancelled, lesson plans, observations.
describe("a coordinator of the proposing region (X)", () => {
  it("sees every pairing touching X this term, with the numbers its policies show", async () => {
    expect(summary(await dashboardAs("coordinatorX"))).toEqual({
      regions: { X: counts({ requested: 1, proposed: 2, active: 1, paused: 1, ended: 1, declined: 1, withdrawn: 1 }) },
      pairings: {
        "A⇄B": "active 2 2 8 3 1 2 1",
        "E⇄F": "paused 1 1 4 0 0 0 0",
        // Ended: the partner school's people are no longer shown to X.
        "C⇄G": "ended 1 0 6 0 0 0 0",
        "A⇄F": "proposed 2 1 3 0 0 0 0",
        // Declined, but F is open to X through other pairings.
        "C⇄F": "declined 1 1 2 0 0 0 0",
        // A request is not open: G's people stay hidden.
        "A⇄G": "requested 2 0 1 0 0 0 0",
        "C⇄H": "proposed 1 1 7 0 0 0 0",
        "E⇄B": "withdrawn 1 2 9 0 0 0 0",
      },
    });
  });

  it("filters by either school's stage", async () => {
    expect(summary(await dashboardAs("coordinatorX", { stage: "middle" }))).toEqual({
      regions: { X: counts({ proposed: 1, paused: 1, declined: 1, withdrawn: 1 }) },
      pairings: {
        "E⇄F": "paused 1 1 4 0 0 0 0",
        "A⇄F": "proposed 2 1 3 0 0 0 0",
        "C⇄F": "declined 1 1 2 0 0 0 0",
        "E⇄B": "withdrawn 1 2 9 0 0 0 0",
      },
    });
    expect(summary(await dashboardAs("coordinatorX", { stage: "vocational" }))).toEqual({ regions: { X: zero() }, pairings: {} });
  });

  it("filters by term: next term shows the pairings still open with that term's goals; the last term nothing", async () => {
    expect(summary(await dashboardAs("coordinatorX", { term: next }))).toEqual({
      regions: { X: counts({ requested: 1, proposed: 2, active: 1, paused: 1 }) },
      pairings: {
        "A⇄B": "active 2 2 5 0 0 0 0",
        "E⇄F": "paused 1 1  0 0 0 0",
        "A⇄F": "proposed 2 1  0 0 0 0",
        "A⇄G": "requested 2 0  0 0 0 0",
        "C⇄H": "proposed 1 1  0 0 0 0",
      },
    });
    expect(summary(await dashboardAs("coordinatorX", { term: previous }))).toEqual({ regions: { X: zero() }, pairings: {} });
  });

  it("dates the last activity by the newest event of each pairing", async () => {
    const report = await dashboardAs("coordinatorX");
    const newest = await database.handle.query<{ pairing_id: string; at: Date | string }>(
      `select pairing_id, max(created_at) as at from public.pairing_events group by pairing_id`,
    );
    const expected = Object.fromEntries(newest.map((r) => [r.pairing_id, new Date(r.at).toISOString()]));
    expect(Object.fromEntries(report.pairings.map((p) => [p.id, p.lastActivity]))).toEqual(
      Object.fromEntries(report.pairings.map((p) => [p.id, expected[p.id]])),
    );
  });
});

describe("activity over the term", () => {
  it("counts the listed pairings' events per month of the term, in Asia/Shanghai time", async () => {
    const report = await dashboardAs("coordinatorX");
    const ids = report.pairings.map((p) => p.id);
    const rows = await database.handle.query<{ month: string; n: number }>(
      `select to_char(created_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, count(*)::int as n
       from public.pairing_events where pairing_id = any($1::uuid[]) group by 1`,
      [ids],
    );
    const expected = new Map(rows.map((r) => [r.month, Number(r.n)]));
    expect(report.activity.map((a) => a.month)).toHaveLength(6);
    expect(report.activity.reduce((sum, a) => sum + a.events, 0)).toBeGreaterThan(0);
    for (const a of report.activity) expect({ [a.month]: a.events }).toEqual({ [a.month]: expected.get(a.month) ?? 0 });
  });

  it("is empty for someone who sees no pairing", async () => {
    expect((await dashboardAs("teacherA")).activity).toEqual([]);
  });
});

describe("a coordinator of the partner region (Y)", () => {
  it("sees the pairings touching Y, counting the people Y's policies show", async () => {
    expect(summary(await dashboardAs("coordinatorY"))).toEqual({
      regions: { Y: counts({ requested: 1, proposed: 1, active: 1, paused: 1, ended: 1, declined: 1, withdrawn: 1 }) },
      pairings: {
        "A⇄B": "active 2 2 8 3 1 2 1",
        "E⇄F": "paused 1 1 4 0 0 0 0",
        "C⇄G": "ended 0 1 6 0 0 0 0",
        "A⇄F": "proposed 2 1 3 0 0 0 0",
        "C⇄F": "declined 0 1 2 0 0 0 0",
        "A⇄G": "requested 2 1 1 0 0 0 0",
        "E⇄B": "withdrawn 1 2 9 0 0 0 0",
      },
    });
  });
});

describe("those who coordinate none of it", () => {
  it("a coordinator of an uninvolved region sees their region, empty", async () => {
    expect(await w.as("coordinatorZ", canSeeDashboard)).toBe(true);
    expect(summary(await dashboardAs("coordinatorZ"))).toEqual({ regions: { Z: zero() }, pairings: {} });
  });

  it.each(["teacherA", "adminA", "teacherB", "stranger"] as const)("%s gets nothing and no dashboard", async (persona) => {
    expect(await w.as(persona, canSeeDashboard)).toBe(false);
    expect(summary(await dashboardAs(persona))).toEqual({ regions: {}, pairings: {} });
  });
});

describe("a platform admin", () => {
  it("sees every region and every pairing", async () => {
    const report = summary(await dashboardAs("platformAdmin"));
    expect(await w.as("platformAdmin", canSeeDashboard)).toBe(true);
    expect(Object.keys(report.regions).sort()).toEqual(["V", "X", "Y", "Z"]);
    expect(report.regions.V).toEqual(counts({ proposed: 1 }));
    expect(report.regions.Z).toEqual(zero());
    expect(Object.keys(report.pairings)).toHaveLength(8);
    expect(report.pairings["C⇄G"]).toBe("ended 1 1 6 0 0 0 0");
  });
});

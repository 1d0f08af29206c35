import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { previousTerm, termWindow, type DashboardFilters } from "../../app/dashboard/filters";
import {
  canSeeDashboard,
  DASHBOARD_EVENT_KINDS,
  loadDashboard,
  type DashboardReport,
  type LiveSessionCounts,
} from "../../app/dashboard/queries.server";
import { selectRows } from "../../app/db/execute.server";
import { PAIRING_STATUSES, type LiveSessionChangeReason, type LiveSessionStatus, type PairingStatus } from "../../app/db/enums";
import { nextTerm, termOf } from "../../app/pairings/schemas";
import { setupTestDatabase } from "../support/db-suite";
import { addMembership, createClassroom, createRegion, createSchool, createUser } from "../support/factories";
import { createPairingWorld, type PairingPersona, type PairingWorld } from "../support/pairing-world";

const database = setupTestDatabase();

const current = termOf(new Date());
const next = nextTerm(current);
const previous = previousTerm(current);
const termStart = termWindow(current).start.getTime();
const termEnd = termWindow(current).end.getTime();
const MINUTE = 60_000;
const DAY = 86_400_000;

const zero = () => Object.fromEntries(PAIRING_STATUSES.map((s) => [s, 0])) as Record<PairingStatus, number>;
const counts = (some: Partial<Record<PairingStatus, number>>) => ({ ...zero(), ...some });

let w: PairingWorld;
const letters = new Map<string, string>();

/**
 * Live classes as one line: scheduled, held, cancelled (network weather exams other),
 * minutes taught, students, participants, observations.
 */
function live(c: LiveSessionCounts) {
  const { network, weather, exams, other } = c.cancelledBy;
  return `${c.scheduled} ${c.held} ${c.cancelled}(${network} ${weather} ${exams} ${other}) ${c.minutesTaught}′ ${c.students} ${c.participants} ${c.observations}`;
}
const NO_SESSIONS = "0 0 0(0 0 0 0) 0′ 0 0 0";

/** The report as letters and numbers: "A⇄B" → what the reader sees of it. */
function summary(report: DashboardReport) {
  const name = (p: DashboardReport["pairings"][number]) => `${letters.get(p.schoolA.id)}⇄${letters.get(p.schoolB.id)}`;
  return {
    regions: Object.fromEntries(report.regions.map((r) => [letters.get(r.id) ?? r.id, r.counts])),
    // Planned (the goals' sum) | the region's live classes.
    totals: Object.fromEntries(report.regions.map((r) => [letters.get(r.id) ?? r.id, `${r.totals.planned} | ${live(r.totals)}`])),
    // Status, members of A, members of B (as the policies show them), planned, lesson plans.
    pairings: Object.fromEntries(
      report.pairings.map((p) => [name(p), [p.status, p.schoolA.members, p.schoolB.members, p.planned ?? "–", p.lessonPlans].join(" ")]),
    ),
    // The pairings with any live class in the term.
    live: Object.fromEntries(report.pairings.map((p) => [name(p), live(p)]).filter(([, line]) => line !== NO_SESSIONS)),
  };
}
const nothing = { regions: {}, totals: {}, pairings: {}, live: {} };

function dashboardAs(persona: PairingPersona, filters: Partial<DashboardFilters> = {}) {
  return w.as(persona, (tx) => loadDashboard(tx, { term: current, stage: null, ...filters }));
}

interface SessionInput {
  pairingId: string;
  main: { classroomId: string; teacherId: string };
  receiving: { classroomId: string; teacherId: string };
  /** Milliseconds since the epoch; 45 minutes unless `minutes` says otherwise. */
  startsAt: number;
  minutes?: number;
  status: LiveSessionStatus;
  reason?: LiveSessionChangeReason;
  /** When the video server saw the room start and end, if it did. */
  startedAt?: number;
  endedAt?: number;
}

/** A session as system work leaves it, written as the owner: the functions refuse past times and webhooks' states. */
async function addSession(input: SessionInput): Promise<string> {
  const handle = database.handle;
  const at = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const [row] = await handle.query<{ id: string }>(
    `insert into public.live_sessions (pairing_id, title, main_classroom_id, main_teacher_id, starts_at, ends_at,
       status, cancel_reason, started_at, ended_at, created_by)
     values ($1, '同步课堂', $2, $3, $4, $5, $6, $7, $8, $9, $3) returning id`,
    [
      input.pairingId,
      input.main.classroomId,
      input.main.teacherId,
      at(input.startsAt),
      at(input.startsAt + (input.minutes ?? 45) * MINUTE),
      input.status,
      input.reason ?? null,
      at(input.startedAt),
      at(input.endedAt),
    ],
  );
  await handle.query(`insert into public.live_session_classrooms (session_id, classroom_id, teacher_id) values ($1, $2, $3)`, [
    row.id,
    input.receiving.classroomId,
    input.receiving.teacherId,
  ]);
  return row.id;
}

async function addHeadcount(sessionId: string, classroomId: string, headcount: number, enteredBy: string) {
  await database.handle.query(
    `insert into public.live_session_headcounts (session_id, classroom_id, headcount, entered_by) values ($1, $2, $3, $4)`,
    [sessionId, classroomId, headcount, enteredBy],
  );
}

/** A connection to the session's room: `userId` null for a connection that is no one's (a recorder). */
async function addAttendance(sessionId: string, userId: string | null, joinedAt: number) {
  await database.handle.query(
    `insert into public.live_session_attendance (session_id, participant_sid, identity, user_id, joined_at, left_at)
     values ($1, 'PA_' || gen_random_uuid(), coalesce($2::text, 'recorder'), $2::uuid, $3, $4)`,
    [sessionId, userId, new Date(joinedAt).toISOString(), new Date(joinedAt + 30 * MINUTE).toISOString()],
  );
}

async function addObservation(sessionId: string, observerId: string) {
  await database.handle.query(
    `insert into public.live_session_observations (session_id, observer_id, rubric, notes)
     values ($1, $2, '{"objectives": 4, "interaction": 5, "remote_inclusion": 3, "engagement": 4, "technology": 2}', '')`,
    [sessionId, observerId],
  );
}

beforeAll(async () => {
  const handle = database.handle;
  w = await createPairingWorld(handle);
  const regionV = await createRegion(handle);
  const schoolE = await createSchool(handle, w.regionX.id, { stage: "middle" });
  const schoolF = await createSchool(handle, w.regionY.id, { stage: "middle" });
  const schoolG = await createSchool(handle, w.regionY.id);
  const schoolH = await createSchool(handle, regionV.id);
  const teachers: Record<string, string> = {};
  for (const [school, name] of [
    [schoolE, "teacherE"],
    [schoolF, "teacherF"],
    [schoolG, "teacherG"],
    [schoolH, "teacherH"],
  ] as const) {
    teachers[name] = (await createUser(handle, { displayName: name })).id;
    await addMembership(handle, school.id, teachers[name], "teacher");
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
  const ef = await w.pairingIn("paused", pair("E", "F", 4));
  await w.pairingIn("ended", pair("C", "G", 6));
  await w.pairingIn("proposed", pair("A", "F", 3));
  await w.pairingIn("declined", pair("C", "F", 2));
  await w.pairingIn("requested", pair("A", "G", 1));
  await w.propose("coordinatorX", pair("C", "H", 7));
  await w.pairingIn("withdrawn", pair("E", "B", 9));

  // The log says three classes ended, one was cancelled and one observed; the sessions'
  // own tables say otherwise below, and they are the ones counted.
  const beforeTerm = new Date(termStart - DAY).toISOString();
  for (const [kind, times, at] of [
    ["live_session_ended", 3, null],
    ["live_session_cancelled", 1, null],
    ["observation_submitted", 1, null],
    [DASHBOARD_EVENT_KINDS.lessonPlans, 2, null],
    [DASHBOARD_EVENT_KINDS.lessonPlans, 1, beforeTerm],
  ] as const) {
    for (let i = 0; i < times; i++) {
      await handle.query(
        `insert into public.pairing_events (pairing_id, kind, created_at) values ($1, $2, coalesce($3::timestamptz, now()))`,
        [ab.id, kind, at],
      );
    }
  }

  const u = w.users;
  const [classA, classB, classE, classF] = await Promise.all([s.A, s.B, s.E, s.F].map((school) => createClassroom(handle, school.id)));
  const abClass = {
    pairingId: ab.id,
    main: { classroomId: classA.id, teacherId: u.teacherA.id },
    receiving: { classroomId: classB.id, teacherId: u.teacherB.id },
  };
  // A⇄B this term. Held at the term's first minute: 42 minutes as the video server timed it.
  const first = await addSession({
    ...abClass,
    startsAt: termStart,
    status: "ended",
    startedAt: termStart + 2 * MINUTE,
    endedAt: termStart + 44 * MINUTE,
  });
  await addHeadcount(first, classA.id, 30, u.teacherA.id);
  await addHeadcount(first, classB.id, 25, u.teacherB.id);
  for (const user of [u.teacherA.id, u.teacherA.id, u.teacherB.id, u.coordinatorY.id, null]) await addAttendance(first, user, termStart);
  await addObservation(first, u.coordinatorX.id);
  await addObservation(first, u.coordinatorY.id);
  // Held, but the start webhook never came: the 40 timetabled minutes count.
  const second = await addSession({
    ...abClass,
    startsAt: termStart + 7 * DAY,
    minutes: 40,
    status: "ended",
    endedAt: termStart + 7 * DAY + 38 * MINUTE,
  });
  await addHeadcount(second, classB.id, 20, u.teacherB.id);
  for (const user of [u.teacherB.id, u.adminA.id]) await addAttendance(second, user, termStart + 7 * DAY);
  await addObservation(second, u.adminB.id);
  // Live now: scheduled and joined, not yet held, its headcount not yet counted.
  const third = await addSession({ ...abClass, startsAt: termStart + 14 * DAY, status: "live", startedAt: termStart + 14 * DAY });
  await addHeadcount(third, classA.id, 99, u.teacherA.id);
  await addAttendance(third, u.adminB.id, termStart + 14 * DAY);
  // To come, ending before the term does.
  await addSession({ ...abClass, startsAt: termEnd - 2 * 60 * MINUTE, status: "scheduled" });
  for (const [day, reason] of [
    [3, "network"],
    [4, "network"],
    [5, "weather"],
  ] as const) {
    await addSession({ ...abClass, startsAt: termStart + day * DAY, status: "cancelled", reason });
  }
  // A⇄B outside the term: held half an hour before it began; cancelled as the next one
  // begins; scheduled a week into the next.
  const before = await addSession({
    ...abClass,
    startsAt: termStart - 30 * MINUTE,
    status: "ended",
    startedAt: termStart - 30 * MINUTE,
    endedAt: termStart + 15 * MINUTE,
  });
  await addHeadcount(before, classA.id, 50, u.teacherA.id);
  await addAttendance(before, u.stranger.id, termStart - 30 * MINUTE);
  await addObservation(before, u.coordinatorX.id);
  await addSession({ ...abClass, startsAt: termEnd, status: "cancelled", reason: "exams" });
  await addSession({ ...abClass, startsAt: termEnd + 7 * DAY, status: "scheduled" });

  // E⇄F, paused since: one class held this term, joined again by Y's coordinator.
  const efClass = await addSession({
    pairingId: ef.id,
    main: { classroomId: classE.id, teacherId: teachers.teacherE },
    receiving: { classroomId: classF.id, teacherId: teachers.teacherF },
    startsAt: termStart + 10 * DAY,
    status: "ended",
    startedAt: termStart + 10 * DAY,
    endedAt: termStart + 10 * DAY + 45 * MINUTE,
  });
  await addHeadcount(efClass, classF.id, 18, teachers.teacherF);
  for (const user of [u.coordinatorY.id, teachers.teacherF]) await addAttendance(efClass, user, termStart + 10 * DAY);
});

const X_PAIRINGS = {
  "A⇄B": "active 2 2 8 2",
  "E⇄F": "paused 1 1 4 0",
  // Ended: the partner school's people are no longer shown to X.
  "C⇄G": "ended 1 0 6 0",
  "A⇄F": "proposed 2 1 3 0",
  // Declined, but F is open to X through other pairings.
  "C⇄F": "declined 1 1 2 0",
  // A request is not open: G's people stay hidden.
  "A⇄G": "requested 2 0 1 0",
  "C⇄H": "proposed 1 1 7 0",
  "E⇄B": "withdrawn 1 2 9 0",
};

// A⇄B this term: four classes not cancelled (two held, one live, one to come); three
// cancelled, two for the network and one for the weather; 42 + 40 minutes taught; 30 + 25
// + 20 students in the held ones; five people joined (teacher A twice, a recorder not
// counted); three observations. E⇄F: one class of 45 minutes, 18 students, two people.
const LIVE = {
  "A⇄B": "4 2 3(2 1 0 0) 82′ 75 5 3",
  "E⇄F": "1 1 0(0 0 0 0) 45′ 18 2 0",
};
// Both regions' totals: Y's coordinator joined a class of each pairing and counts once.
const LIVE_TOTAL = "5 3 3(2 1 0 0) 127′ 93 6 3";

describe("a coordinator of the proposing region (X)", () => {
  it("sees every pairing touching X this term, with the numbers its policies show", async () => {
    expect(summary(await dashboardAs("coordinatorX"))).toEqual({
      regions: { X: counts({ requested: 1, proposed: 2, active: 1, paused: 1, ended: 1, declined: 1, withdrawn: 1 }) },
      totals: { X: `40 | ${LIVE_TOTAL}` },
      pairings: X_PAIRINGS,
      live: LIVE,
    });
  });

  it("filters by either school's stage, totals included", async () => {
    expect(summary(await dashboardAs("coordinatorX", { stage: "middle" }))).toEqual({
      regions: { X: counts({ proposed: 1, paused: 1, declined: 1, withdrawn: 1 }) },
      totals: { X: `18 | ${LIVE["E⇄F"]}` },
      pairings: {
        "E⇄F": "paused 1 1 4 0",
        "A⇄F": "proposed 2 1 3 0",
        "C⇄F": "declined 1 1 2 0",
        "E⇄B": "withdrawn 1 2 9 0",
      },
      live: { "E⇄F": LIVE["E⇄F"] },
    });
    expect(summary(await dashboardAs("coordinatorX", { stage: "vocational" }))).toEqual({
      regions: { X: zero() },
      totals: { X: `0 | ${NO_SESSIONS}` },
      pairings: {},
      live: {},
    });
  });

  it("filters by term: next term shows the pairings still open with that term's goals and classes; the last term nothing", async () => {
    // The class cancelled for exams as the next term begins, and the one a week into it.
    expect(summary(await dashboardAs("coordinatorX", { term: next }))).toEqual({
      regions: { X: counts({ requested: 1, proposed: 2, active: 1, paused: 1 }) },
      totals: { X: "5 | 1 0 1(0 0 1 0) 0′ 0 0 0" },
      pairings: {
        "A⇄B": "active 2 2 5 0",
        "E⇄F": "paused 1 1 – 0",
        "A⇄F": "proposed 2 1 – 0",
        "A⇄G": "requested 2 0 – 0",
        "C⇄H": "proposed 1 1 – 0",
      },
      live: { "A⇄B": "1 0 1(0 0 1 0) 0′ 0 0 0" },
    });
    expect(summary(await dashboardAs("coordinatorX", { term: previous }))).toEqual({
      regions: { X: zero() },
      totals: { X: `0 | ${NO_SESSIONS}` },
      pairings: {},
      live: {},
    });
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
  it.each(["coordinatorY", "coordinatorY2"] as const)(
    "%s sees the pairings touching Y, counting the people Y's policies show",
    async (persona) => {
      expect(summary(await dashboardAs(persona))).toEqual({
        regions: { Y: counts({ requested: 1, proposed: 1, active: 1, paused: 1, ended: 1, declined: 1, withdrawn: 1 }) },
        totals: { Y: `33 | ${LIVE_TOTAL}` },
        pairings: {
          "A⇄B": "active 2 2 8 2",
          "E⇄F": "paused 1 1 4 0",
          "C⇄G": "ended 0 1 6 0",
          "A⇄F": "proposed 2 1 3 0",
          "C⇄F": "declined 0 1 2 0",
          "A⇄G": "requested 2 1 1 0",
          "E⇄B": "withdrawn 1 2 9 0",
        },
        live: LIVE,
      });
    },
  );
});

/** How many rows of each live-class table `persona` can read. */
const liveRowsAs = (persona: PairingPersona) =>
  w.as(persona, async (tx) => {
    const [row] = await selectRows<Record<string, number>>(
      tx,
      sql`select (select count(*) from public.live_sessions)::int as sessions,
                 (select count(*) from public.live_session_attendance)::int as attendance,
                 (select count(*) from public.live_session_headcounts)::int as headcounts,
                 (select count(*) from public.live_session_observations)::int as observations`,
    );
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  });

describe("those who coordinate none of it", () => {
  it("a coordinator of an uninvolved region sees their region, empty, and none of the classes", async () => {
    expect(await w.as("coordinatorZ", canSeeDashboard)).toBe(true);
    expect(summary(await dashboardAs("coordinatorZ"))).toEqual({
      regions: { Z: zero() },
      totals: { Z: `0 | ${NO_SESSIONS}` },
      pairings: {},
      live: {},
    });
    expect(await liveRowsAs("coordinatorZ")).toEqual({ sessions: 0, attendance: 0, headcounts: 0, observations: 0 });
    // The classes are there, for those whose policies show them.
    expect(await liveRowsAs("coordinatorX")).toEqual({ sessions: 11, attendance: 11, headcounts: 6, observations: 4 });
  });

  it.each(["teacherA", "adminA", "teacherB", "stranger"] as const)("%s gets nothing and no dashboard", async (persona) => {
    expect(await w.as(persona, canSeeDashboard)).toBe(false);
    expect(summary(await dashboardAs(persona))).toEqual(nothing);
  });

  it("a teacher who reads the pairing's classes still gets no dashboard of them", async () => {
    expect((await liveRowsAs("teacherA")).sessions).toBe(10);
    expect(await w.as("teacherA", canSeeDashboard)).toBe(false);
    expect(summary(await dashboardAs("teacherA"))).toEqual(nothing);
  });
});

describe("a platform admin", () => {
  it("sees every region and every pairing, with each region's totals", async () => {
    const report = summary(await dashboardAs("platformAdmin"));
    expect(await w.as("platformAdmin", canSeeDashboard)).toBe(true);
    expect(Object.keys(report.regions).sort()).toEqual(["V", "X", "Y", "Z"]);
    expect(report.regions.V).toEqual(counts({ proposed: 1 }));
    expect(report.regions.Z).toEqual(zero());
    expect(report.totals).toEqual({ X: `40 | ${LIVE_TOTAL}`, Y: `33 | ${LIVE_TOTAL}`, Z: `0 | ${NO_SESSIONS}`, V: `7 | ${NO_SESSIONS}` });
    expect(Object.keys(report.pairings)).toHaveLength(8);
    expect(report.pairings["C⇄G"]).toBe("ended 1 1 6 0");
    expect(report.live).toEqual(LIVE);
  });
});

import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Transaction } from "../../app/db/client.server";
import { selectRows } from "../../app/db/execute.server";
import { withServiceRole } from "../../app/db/system.server";
import { testDbTarget } from "../support/database";
import { setupTestDatabase } from "../support/db-suite";
import { createClassroom } from "../support/factories";
import {
  at,
  callSchedule,
  createLiveSessionWorld,
  GOOD_RUBRIC,
  LIVE_SESSION_PERSONAS,
  slot,
  weekly,
  type AnyLivePersona,
  type LiveSessionPersona,
  type LiveSessionWorld,
  type Slot,
} from "../support/live-session-world";
import { expectPgError, findPgError, permissionDenied, rlsViolation } from "../support/pg-error";

const database = setupTestDatabase();
const owner = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => database.handle.query<T>(text, params);

/** The SQLSTATEs of the live-session functions (see the migration's header). */
const E = {
  notAllowed: "42501",
  illegalState: "TK422",
  booked: "TK426",
  invalidInput: "TK425",
  kept: "TK405",
  check: "23514",
} as const;

const checkViolation = (table: string, constraint: string) => `new row for relation "${table}" violates check constraint "${constraint}"`;
const functionDenied = (name: string) => `permission denied for function ${name}`;

type PairingState = "active" | "paused" | "ended";
const PAIRING_STATES: PairingState[] = ["active", "paused", "ended"];

/** One world per describe that shares it: its tests use days of their own, so they never clash. */
function sharedWorld() {
  let world: Promise<LiveSessionWorld> | undefined;
  return () => (world ??= createLiveSessionWorld(database.handle));
}

/** Runs `attempt` and answers "ok" or the SQLSTATE it failed with. */
async function outcome(attempt: Promise<unknown>): Promise<string> {
  return attempt.then(
    () => "ok",
    (error: unknown) => {
      const pgError = findPgError(error);
      if (!pgError) throw error;
      return pgError.code;
    },
  );
}

const iso = (value: string | Date) => new Date(value).toISOString();

/** Expects TK426 and answers the clash the error's detail describes, its times as ISO strings. */
async function clashOf(attempt: Promise<unknown>): Promise<Record<string, string>> {
  const error = await attempt.then(
    () => {
      throw new Error(`Expected SQLSTATE ${E.booked}, but the statement succeeded`);
    },
    (e: unknown) => e,
  );
  const pgError = findPgError(error);
  expect({ code: pgError?.code, message: pgError?.message }).toEqual({ code: E.booked, message: "already booked" });
  if (!pgError?.detail) throw new Error("The TK426 error has no detail");
  const clash = JSON.parse(pgError.detail) as Record<string, string>;
  for (const key of ["starts_at", "ends_at", "session_starts_at", "session_ends_at"]) clash[key] = iso(clash[key]);
  return clash;
}

const clashWith = (kind: "classroom" | "teacher", id: string, name: string, booked: Slot, asked: Slot) => ({
  kind,
  id,
  name,
  session_starts_at: iso(booked[0]),
  session_ends_at: iso(booked[1]),
  starts_at: iso(asked[0]),
  ends_at: iso(asked[1]),
});

const insertMessage = (sessionId: string, body: string) => (tx: Transaction) =>
  tx.execute(sql`insert into public.live_session_messages (session_id, body) values (${sessionId}::uuid, ${body})`);

// ─── Who reads what ──────────────────────────────────────────────────────────────────────

/** Each table is read by session: live_sessions by its id, the others by session_id. */
const TABLES = [
  "live_sessions",
  "live_session_classrooms",
  "live_session_changes",
  "live_session_attendance",
  "live_session_headcounts",
  "live_session_observations",
  "live_session_reflections",
  "live_session_messages",
] as const;
const ALL = [...TABLES];
const ALL_BUT_CHAT = TABLES.filter((t) => t !== "live_session_messages");

/**
 * private.live_session_role, and what each persona reads of a session that took place, per
 * pairing state. Members keep reading a paused pairing's sessions but lose the room (and its
 * chat); an ended pairing's sessions stay with the class's own teachers (while they belong
 * to one of the schools), coordinators and platform admins.
 */
type Seen = { role: string | null; reads: string[] };
const MEMBERS = ["mainA", "receivingB", "teacherA", "adminA", "teacherB", "adminB"] as const;
const OVERSEERS = ["coordinatorX", "coordinatorY", "coordinatorY2", "platformAdmin"] as const;
const OUTSIDERS = ["teacherC", "coordinatorZ", "stranger"] as const;
const nothing: Seen = { role: null, reads: [] };
const observer: Seen = { role: "observer", reads: ALL };

const EXPECTED: Record<PairingState, Record<LiveSessionPersona, Seen>> = {
  active: {
    mainA: { role: "main", reads: ALL },
    receivingB: { role: "receiving", reads: ALL },
    teacherA: observer,
    adminA: observer,
    teacherB: observer,
    adminB: observer,
    ...Object.fromEntries(OVERSEERS.map((p) => [p, observer])),
    ...Object.fromEntries(OUTSIDERS.map((p) => [p, nothing])),
  } as Record<LiveSessionPersona, Seen>,
  paused: {
    ...Object.fromEntries(MEMBERS.map((p) => [p, { role: null, reads: ALL_BUT_CHAT }])),
    ...Object.fromEntries(OVERSEERS.map((p) => [p, observer])),
    ...Object.fromEntries(OUTSIDERS.map((p) => [p, nothing])),
  } as Record<LiveSessionPersona, Seen>,
  ended: {
    ...Object.fromEntries(MEMBERS.map((p) => [p, nothing])),
    mainA: { role: null, reads: ALL_BUT_CHAT },
    receivingB: { role: null, reads: ALL_BUT_CHAT },
    ...Object.fromEntries(OVERSEERS.map((p) => [p, observer])),
    ...Object.fromEntries(OUTSIDERS.map((p) => [p, nothing])),
  } as Record<LiveSessionPersona, Seen>,
};

/** One world per pairing state: a class that took place, with a row in every child table. Only read. */
const readWorlds = new Map<PairingState, Promise<{ w: LiveSessionWorld; id: string }>>();
function readWorld(state: PairingState) {
  let world = readWorlds.get(state);
  if (!world) {
    world = (async () => {
      const w = await createLiveSessionWorld(database.handle);
      const { A1, B1 } = w.classrooms;
      const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
      await w.reschedule("mainA", id, slot(1, "11:00", "11:45"), "network", "网络检修");
      await w.markEnded(id);
      await owner(
        `insert into public.live_session_attendance (session_id, participant_sid, identity, user_id, role, school_id, classroom_id, joined_at)
         values ($1, 'PA_main', $2, $3, 'main', $4, $5, now())`,
        [id, w.users.mainA.id, w.users.mainA.id, w.schoolA.id, A1.id],
      );
      await w.recordHeadcount("mainA", id, A1.id, 42);
      await w.recordHeadcount("receivingB", id, B1.id, 31);
      await w.submitObservation("coordinatorX", id, GOOD_RUBRIC, "远端学生参与充分");
      await w.saveReflection("mainA", id, "下次给远端课堂更多发言时间");
      await w.as("receivingB", insertMessage(id, "扎西德勒！"));
      await w.movePairing(state);
      return { w, id };
    })();
    readWorlds.set(state, world);
  }
  return world;
}

const countRows = (table: (typeof TABLES)[number], sessionId: string) =>
  sql`select count(*)::int as n from ${sql.raw(`public.${table}`)} where ${sql.raw(
    table === "live_sessions" ? "id" : "session_id",
  )} = ${sessionId}::uuid`;

describe.each(PAIRING_STATES)("who reads a session and its rows (pairing %s)", (state) => {
  it.each(LIVE_SESSION_PERSONAS)("%s", async (persona) => {
    const { w, id } = await readWorld(state);
    const [role] = await w.rolesOf(persona, [id]);
    const reads: string[] = [];
    for (const table of TABLES) {
      const [{ n: all }] = await owner<{ n: number }>(
        `select count(*)::int as n from public.${table} where ${table === "live_sessions" ? "id" : "session_id"} = $1`,
        [id],
      );
      expect([table, all > 0]).toEqual([table, true]);
      const [{ n }] = await w.as(persona, (tx) => selectRows<{ n: number }>(tx, countRows(table, id)));
      // A readable table shows the session's every row, an unreadable one none.
      expect([table, n === 0 || n === all]).toEqual([table, true]);
      if (n > 0) reads.push(table);
    }
    expect({ role, reads }).toEqual(EXPECTED[state][persona]);
  });

  it("anonymous reads nothing and cannot ask", async () => {
    const { w, id } = await readWorld(state);
    for (const table of TABLES) {
      await expectPgError(
        w.as("anonymous", (tx) => tx.execute(countRows(table, id))),
        E.notAllowed,
        permissionDenied(table),
      );
    }
    await expectPgError(w.rolesOf("anonymous", [id]), E.notAllowed, "permission denied for schema private");
  });
});

describe("private.live_session_role", () => {
  it("is null for a session that does not exist, whoever asks", async () => {
    const w = await createLiveSessionWorld(database.handle);
    for (const persona of ["platformAdmin", "coordinatorX", "mainA"] as const) {
      expect(await w.rolesOf(persona, ["00000000-0000-4000-8000-000000000000"])).toEqual([null]);
    }
  });

  it("follows the main teacher out of the school: no role, no reading, no managing, no reflection", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    expect(await w.rolesOf("mainA", [id])).toEqual(["main"]);
    await owner("delete from public.school_memberships where user_id = $1", [w.users.mainA.id]);
    expect(await w.rolesOf("mainA", [id])).toEqual([null]);
    expect(await w.as("mainA", (tx) => selectRows(tx, countRows("live_sessions", id)))).toEqual([{ n: 0 }]);
    await expectPgError(w.cancel("mainA", id, "other"), E.notAllowed, "not allowed to cancel this class");
    await w.markEnded(id);
    await expectPgError(w.saveReflection("mainA", id, "反思"), E.notAllowed, "reflections are written by the class's teachers");
    await expectPgError(
      w.recordHeadcount("mainA", id, w.classrooms.A1.id, 40),
      E.notAllowed,
      "only the classroom's own teacher enters its headcount",
    );
    // The receiving teacher keeps the room.
    expect(await w.rolesOf("receivingB", [id])).toEqual(["receiving"]);
  });

  it("follows the receiving teacher out of the school", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    await owner("delete from public.school_memberships where user_id = $1", [w.users.receivingB.id]);
    expect(await w.rolesOf("receivingB", [id])).toEqual([null]);
    expect(await w.rolesOf("mainA", [id])).toEqual(["main"]);
  });

  it("is given back when a paused pairing resumes", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    await w.movePairing("paused");
    expect(await w.rolesOf("mainA", [id])).toEqual([null]);
    await w.transition("coordinatorY", w.pairingId, "resume");
    expect(await w.rolesOf("mainA", [id])).toEqual(["main"]);
  });

  it("only the user's own role can be asked; nobody calls the internal helpers", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    const none = [] as string[];
    const calls: [string, ReturnType<typeof sql>][] = [
      ["live_session_role_of", sql`select private.live_session_role_of(${id}::uuid, ${w.users.mainA.id}::uuid)`],
      [
        "live_session_clash",
        sql`select private.live_session_clash(array[${w.classrooms.A1.id}]::uuid[], ${sql.param(
          none,
        )}::uuid[], now(), now() + interval '1 day', null)`,
      ],
      [
        "check_live_session_times",
        sql`select private.check_live_session_times(array[${w.classrooms.A1.id}]::uuid[], ${sql.param(none)}::uuid[],
            array[now() + interval '1 day'], array[now() + interval '25 hours'], null)`,
      ],
      ["lock_bookings", sql`select private.lock_bookings(array[${w.classrooms.A1.id}]::uuid[])`],
      ["valid_observation_rubric", sql`select private.valid_observation_rubric('{}'::jsonb)`],
    ];
    for (const [name, statement] of calls) {
      await expectPgError(
        w.as("platformAdmin", (tx) => tx.execute(statement)),
        E.notAllowed,
        functionDenied(name),
      );
    }
  });
});

// ─── Scheduling ──────────────────────────────────────────────────────────────────────────

describe("schedule_live_session", () => {
  const world = sharedWorld();

  it("schedules one class: the session, its receiving classroom and one event", async () => {
    const w = await world();
    const when = slot(1, "10:00", "10:45");
    const ids = await w.schedule("receivingB", [when], { title: "\u3000《秋天的雨》同步课 \n" });
    expect(ids).toHaveLength(1);
    expect(await w.session(ids[0])).toMatchObject({
      pairing_id: w.pairingId,
      series_id: null,
      title: "《秋天的雨》同步课",
      lesson_plan_id: w.planId,
      main_classroom_id: w.classrooms.A1.id,
      main_teacher_id: w.users.mainA.id,
      starts_at: when[0],
      ends_at: when[1],
      status: "scheduled",
      cancel_reason: null,
      sequence: 0,
      created_by: w.users.receivingB.id,
    });
    expect(await owner("select classroom_id, teacher_id from public.live_session_classrooms where session_id = $1", [ids[0]])).toEqual([
      { classroom_id: w.classrooms.B1.id, teacher_id: w.users.receivingB.id },
    ]);
    const events = (await w.liveEvents()).filter((e) => JSON.stringify(e.data).includes(ids[0]));
    expect(events).toEqual([
      {
        kind: "live_session_scheduled",
        actor_id: "receivingB",
        reason: null,
        data: { session_ids: ids, title: "《秋天的雨》同步课", starts_at: expect.any(String), occurrences: 1 },
      },
    ]);
    expect(iso(events[0].data.starts_at as string)).toBe(iso(when[0]));
  });

  it("schedules a weekly series: one session per week sharing a series, one event", async () => {
    const w = await world();
    const slots = weekly(slot(2, "15:00", "15:40"), 4);
    const before = await w.footprint();
    const ids = await w.schedule("mainA", slots, {
      receiving: [
        { classroomId: w.classrooms.B1.id, teacherId: w.users.receivingB.id },
        { classroomId: w.classrooms.B2.id, teacherId: w.users.teacherB.id },
      ],
    });
    expect(ids).toHaveLength(4);
    const sessions = await Promise.all(ids.map((id) => w.session(id)));
    expect(sessions.map((s) => [iso(s.starts_at), iso(s.ends_at)])).toEqual(slots.map(([s, e]) => [iso(s), iso(e)]));
    expect(new Set(sessions.map((s) => s.series_id)).size).toBe(1);
    expect(sessions[0].series_id).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(await w.footprint()).toEqual({
      ...before,
      sessions: before.sessions + 4,
      classrooms: before.classrooms + 8,
      events: before.events + 1,
    });
    expect((await w.liveEvents()).at(-1)).toMatchObject({
      kind: "live_session_scheduled",
      actor_id: "mainA",
      data: { session_ids: ids, occurrences: 4 },
    });
  });

  it("a class may last exactly 4 hours, and have no lesson plan", async () => {
    const w = await world();
    const [id] = await w.schedule("adminA", [slot(3, "08:00", "12:00")], { lessonPlanId: null });
    expect(await w.session(id)).toMatchObject({ lesson_plan_id: null, created_by: w.users.adminA.id });
  });

  it.each(["anonymous", ...LIVE_SESSION_PERSONAS] as const)("%s scheduling in an active pairing", async (persona) => {
    const w = await world();
    const day = 10 + ["anonymous", ...LIVE_SESSION_PERSONAS].indexOf(persona);
    const before = await w.footprint();
    const attempt = w.schedule(persona, [slot(day, "10:00", "10:45")]);
    if (persona === "anonymous") {
      await expectPgError(attempt, E.notAllowed, functionDenied("schedule_live_session"));
    } else if (!(MEMBERS as readonly string[]).includes(persona)) {
      await expectPgError(attempt, E.notAllowed, "not allowed to schedule classes in this pairing");
    } else {
      const [id] = await attempt;
      expect(await w.session(id)).toMatchObject({ created_by: w.users[persona].id });
      return;
    }
    expect(await w.footprint()).toEqual(before);
  });

  /** Refusals in the active pairing; each writes nothing. */
  const REFUSALS: [
    string,
    (w: LiveSessionWorld, other: { classroomC: string; otherPlanId: string }) => Parameters<LiveSessionWorld["schedule"]>,
    string,
    string,
  ][] = [
    [
      "a main classroom of another school",
      (w, o) => ["mainA", [slot(40, "10:00", "10:45")], { mainClassroomId: o.classroomC }],
      E.invalidInput,
      "the main classroom must belong to one of the pairing's schools",
    ],
    [
      "a main teacher who does not teach at the main classroom's school",
      (w) => [
        "mainA",
        [slot(40, "10:00", "10:45")],
        { mainClassroomId: w.classrooms.B2.id, receiving: [{ classroomId: w.classrooms.A2.id, teacherId: w.users.teacherA.id }] },
      ],
      E.invalidInput,
      "the main teacher must teach at the main classroom's school",
    ],
    [
      "no main teacher",
      () => ["mainA", [slot(40, "10:00", "10:45")], { mainTeacherId: null }],
      E.invalidInput,
      "the main teacher must teach at the main classroom's school",
    ],
    [
      "the main classroom as a receiving one",
      (w) => [
        "mainA",
        [slot(40, "10:00", "10:45")],
        {
          receiving: [
            { classroomId: w.classrooms.B1.id, teacherId: w.users.receivingB.id },
            { classroomId: w.classrooms.A1.id, teacherId: w.users.teacherA.id },
          ],
        },
      ],
      E.invalidInput,
      "each receiving classroom belongs to the pairing, is not the main one, and its teacher teaches there",
    ],
    [
      "a receiving teacher who does not teach at the receiving classroom's school",
      (w) => ["mainA", [slot(40, "10:00", "10:45")], { receiving: [{ classroomId: w.classrooms.B1.id, teacherId: w.users.teacherA.id }] }],
      E.invalidInput,
      "each receiving classroom belongs to the pairing, is not the main one, and its teacher teaches there",
    ],
    [
      "a receiving classroom of another school",
      (w, o) => ["mainA", [slot(40, "10:00", "10:45")], { receiving: [{ classroomId: o.classroomC, teacherId: w.users.teacherC.id }] }],
      E.invalidInput,
      "each receiving classroom belongs to the pairing, is not the main one, and its teacher teaches there",
    ],
    [
      "no receiving classroom at the partner school",
      (w) => ["mainA", [slot(40, "10:00", "10:45")], { receiving: [{ classroomId: w.classrooms.A2.id, teacherId: w.users.teacherA.id }] }],
      E.invalidInput,
      "a receiving classroom must be at the partner school",
    ],
    [
      "no receiving classroom",
      () => ["mainA", [slot(40, "10:00", "10:45")], { receiving: [] }],
      E.invalidInput,
      "one to six receiving classrooms",
    ],
    [
      "a receiving classroom without its teacher",
      (w) => ["mainA", [slot(40, "10:00", "10:45")], { receiving: [{ classroomId: w.classrooms.B1.id, teacherId: null }] }],
      E.invalidInput,
      "each receiving classroom needs a classroom and its teacher",
    ],
    [
      "a receiving classroom listed twice",
      (w) => [
        "mainA",
        [slot(40, "10:00", "10:45")],
        {
          receiving: [
            { classroomId: w.classrooms.B1.id, teacherId: w.users.receivingB.id },
            { classroomId: w.classrooms.B1.id, teacherId: w.users.teacherB.id },
          ],
        },
      ],
      E.invalidInput,
      "a receiving classroom is listed twice",
    ],
    [
      "one teacher in two classrooms at once",
      (w) => [
        "mainA",
        [slot(40, "10:00", "10:45")],
        {
          receiving: [
            { classroomId: w.classrooms.B1.id, teacherId: w.users.receivingB.id },
            { classroomId: w.classrooms.A2.id, teacherId: w.users.mainA.id },
          ],
        },
      ],
      E.invalidInput,
      "a teacher is listed twice: each classroom needs its own teacher",
    ],
    [
      // teacherB reads the other pairing's plan (B is in both): refused for the pairing, not for access.
      "a lesson plan of another pairing",
      (w, o) => ["teacherB", [slot(40, "10:00", "10:45")], { lessonPlanId: o.otherPlanId }],
      E.invalidInput,
      "the lesson plan must be one of this pairing's",
    ],
    [
      "a start in the past",
      () => ["mainA", [[new Date(Date.now() - 3_600_000), new Date(Date.now() - 1_800_000)]]],
      E.invalidInput,
      "occurrence 1 starts in the past",
    ],
    ["an end before the start", () => ["mainA", [slot(40, "10:45", "10:00")]], E.invalidInput, "occurrence 1 ends before it starts"],
    ["an end at the start", () => ["mainA", [slot(40, "10:00", "10:00")]], E.invalidInput, "occurrence 1 ends before it starts"],
    ["more than 4 hours", () => ["mainA", [slot(40, "08:00", "12:01")]], E.invalidInput, "occurrence 1 is longer than 4 hours"],
    ["no occurrence", () => ["mainA", []], E.invalidInput, "each occurrence needs a start and an end"],
    ["31 occurrences", () => ["mainA", weekly(slot(40, "10:00", "10:45"), 31)], E.invalidInput, "at most 30 occurrences at once"],
    [
      "overlapping occurrences",
      () => ["mainA", [slot(40, "10:00", "10:45"), slot(41, "10:00", "10:45"), slot(41, "10:30", "11:15")]],
      E.invalidInput,
      "occurrences 2 and 3 overlap",
    ],
    [
      "a blank title",
      () => ["mainA", [slot(40, "10:00", "10:45")], { title: " \t\u3000" }],
      E.check,
      checkViolation("live_sessions", "live_sessions_title_check"),
    ],
    [
      "a title over 200 characters",
      () => ["mainA", [slot(40, "10:00", "10:45")], { title: "课".repeat(201) }],
      E.check,
      checkViolation("live_sessions", "live_sessions_title_check"),
    ],
  ];

  let others: Promise<{ classroomC: string; otherPlanId: string }> | undefined;
  const otherThings = () =>
    (others ??= (async () => {
      const w = await world();
      const { planId } = await w.otherPairing();
      return { classroomC: (await createClassroom(database.handle, w.schoolC.id, "C 三年级一班")).id, otherPlanId: planId };
    })());

  it.each(REFUSALS)("refuses %s, and writes nothing", async (_, args, code, message) => {
    const w = await world();
    const o = await otherThings();
    const before = await w.footprint();
    await expectPgError(w.schedule(...args(w, o)), code, message);
    expect(await w.footprint()).toEqual(before);
  });

  it.each(["paused", "ended"] as const)("nobody schedules in a %s pairing", async (state) => {
    const w = await createLiveSessionWorld(database.handle);
    await w.movePairing(state);
    const before = await w.footprint();
    for (const persona of ["mainA", "adminB"] as const) {
      await expectPgError(
        w.schedule(persona, [slot(1, "10:00", "10:45")]),
        E.illegalState,
        `classes are scheduled in active pairings; this one is ${state}`,
      );
    }
    await expectPgError(
      w.schedule("coordinatorX", [slot(1, "10:00", "10:45")]),
      E.notAllowed,
      "not allowed to schedule classes in this pairing",
    );
    expect(await w.footprint()).toEqual(before);
  });

  it("refuses a pairing that does not exist as it refuses a stranger's", async () => {
    const w = await world();
    await expectPgError(
      w.schedule("mainA", [slot(42, "10:00", "10:45")], { pairingId: "00000000-0000-4000-8000-000000000000" }),
      E.notAllowed,
      "not allowed to schedule classes in this pairing",
    );
  });
});

// ─── Clashes ─────────────────────────────────────────────────────────────────────────────

describe("a classroom or a teacher is booked once at a time", () => {
  const world = sharedWorld();

  it("the same classroom: refused with the classroom named, nothing written", async () => {
    const w = await world();
    const booked = slot(1, "10:00", "10:45");
    await w.scheduleOne(booked);
    const asked = slot(1, "10:30", "11:15");
    const before = await w.footprint();
    const clash = await clashOf(
      w.schedule("teacherA", [asked], {
        mainTeacherId: w.users.teacherA.id,
        receiving: [{ classroomId: w.classrooms.B2.id, teacherId: w.users.teacherB.id }],
      }),
    );
    expect(clash).toEqual(clashWith("classroom", w.classrooms.A1.id, "合川 三年级一班", booked, asked));
    expect(await w.footprint()).toEqual(before);
  });

  it("the same teacher in another classroom: refused with the teacher named", async () => {
    const w = await world();
    const booked = slot(2, "10:00", "10:45");
    await w.scheduleOne(booked);
    const asked = slot(2, "09:30", "10:15");
    const clash = await clashOf(
      w.schedule("mainA", [asked], {
        mainClassroomId: w.classrooms.A2.id,
        receiving: [{ classroomId: w.classrooms.B2.id, teacherId: w.users.teacherB.id }],
      }),
    );
    expect(clash).toEqual(clashWith("teacher", w.users.mainA.id, "mainA", booked, asked));
    // The receiving teacher too, wherever they were booked.
    const clash2 = await clashOf(
      w.schedule("teacherA", [asked], {
        mainClassroomId: w.classrooms.A2.id,
        mainTeacherId: w.users.teacherA.id,
        receiving: [{ classroomId: w.classrooms.B2.id, teacherId: w.users.receivingB.id }],
      }),
    );
    expect(clash2).toEqual(clashWith("teacher", w.users.receivingB.id, "receivingB", booked, asked));
  });

  it("a receiving classroom booked by another pairing's class", async () => {
    const w = await world();
    const other = await w.otherPairing();
    const booked = slot(3, "10:00", "10:45");
    await other.schedule([booked]);
    const asked = slot(3, "10:15", "11:00");
    expect(await clashOf(w.schedule("mainA", [asked]))).toEqual(
      clashWith("classroom", w.classrooms.B1.id, "类乌齐 三年级一班", booked, asked),
    );
  });

  it("touching classes do not clash", async () => {
    const w = await world();
    await w.scheduleOne(slot(4, "10:00", "10:45"));
    await w.scheduleOne(slot(4, "10:45", "11:30"));
    await w.scheduleOne(slot(4, "09:15", "10:00"));
    const booked = await owner<{ n: number }>(
      "select count(*)::int as n from public.live_sessions where main_classroom_id = $1 and starts_at >= $2 and ends_at <= $3",
      [w.classrooms.A1.id, at(4, "00:00").toISOString(), at(5, "00:00").toISOString()],
    );
    expect(booked).toEqual([{ n: 3 }]);
  });

  it("a cancelled class frees its slot", async () => {
    const w = await world();
    const when = slot(5, "10:00", "10:45");
    const id = await w.scheduleOne(when);
    await clashOf(w.schedule("mainA", [when]));
    await w.cancel("mainA", id, "weather");
    const [again] = await w.schedule("mainA", [when]);
    expect(await w.session(again)).toMatchObject({ status: "scheduled" });
  });

  it("one clashing occurrence refuses the whole series", async () => {
    const w = await world();
    const series = weekly(slot(6, "14:00", "14:45"), 4);
    await w.scheduleOne(slot(20, "14:30", "15:15"));
    const before = await w.footprint();
    expect((await clashOf(w.schedule("mainA", series))).kind).toBe("classroom");
    expect(await w.footprint()).toEqual(before);
  });

  it("a reschedule into a clash is refused; one overlapping only its own old time is not", async () => {
    const w = await world();
    const first = await w.scheduleOne(slot(7, "10:00", "10:45"));
    const second = await w.scheduleOne(slot(7, "11:00", "11:45"));
    const before = await w.footprint();
    const asked = slot(7, "10:30", "11:15");
    expect(await clashOf(w.reschedule("mainA", second, asked, "exams"))).toEqual(
      clashWith("classroom", w.classrooms.A1.id, "合川 三年级一班", slot(7, "10:00", "10:45"), asked),
    );
    expect(await w.footprint()).toEqual(before);
    await w.reschedule("mainA", first, slot(7, "10:15", "11:00"), "exams");
    expect(await w.session(first)).toMatchObject({ starts_at: at(7, "10:15"), ends_at: at(7, "11:00"), sequence: 1 });
  });

  /** Sessions of this test database waiting for a lock while running `fn`. */
  const waitingOnLock = async (fn: string) => {
    const [{ count }] = await owner<{ count: number }>(
      `select count(*)::int as count from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock' and query like $1`,
      [`%${fn}%`],
    );
    return count;
  };

  async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it("two people booking the same classroom at once: exactly one succeeds", async () => {
    const w = await world();
    const when = slot(8, "10:00", "10:45");
    const byMain = (tx: Transaction) =>
      callSchedule(
        tx,
        {
          pairingId: w.pairingId,
          title: "《秋天的雨》同步课",
          lessonPlanId: w.planId,
          mainClassroomId: w.classrooms.A1.id,
          mainTeacherId: w.users.mainA.id,
          receiving: [{ classroomId: w.classrooms.B1.id, teacherId: w.users.receivingB.id }],
        },
        [when],
      );
    // Another teacher and another receiving classroom: only A1 is shared.
    const byAdmin = (tx: Transaction) =>
      callSchedule(
        tx,
        {
          pairingId: w.pairingId,
          title: "校长排的课",
          lessonPlanId: null,
          mainClassroomId: w.classrooms.A1.id,
          mainTeacherId: w.users.teacherA.id,
          receiving: [{ classroomId: w.classrooms.B2.id, teacherId: w.users.teacherB.id }],
        },
        [when],
      );

    let outcomes: PromiseSettledResult<string[]>[];
    if (testDbTarget === "postgres") {
      // The first transaction holds its booking locks until the second is seen waiting on them.
      let holding!: () => void;
      let release!: () => void;
      const holds = new Promise<void>((resolve) => (holding = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      const first = w.as("mainA", async (tx) => {
        const ids = await byMain(tx);
        holding();
        await released;
        return ids;
      });
      await Promise.race([holds, first]);
      const second = w.as("adminA", byAdmin);
      const settled = Promise.allSettled([first, second]);
      await waitUntil(async () => (await waitingOnLock("schedule_live_session")) === 1, "the second booking waits for the first");
      release();
      outcomes = await settled;
    } else {
      // PGlite has one connection: the two transactions can only run one after the other.
      outcomes = await Promise.allSettled([w.as("mainA", byMain), w.as("adminA", byAdmin)]);
    }
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected"]);
    expect(await clashOf(Promise.reject((outcomes[1] as PromiseRejectedResult).reason))).toMatchObject({
      kind: "classroom",
      id: w.classrooms.A1.id,
    });
    const booked = await owner<{ created_by: string }>(
      "select created_by from public.live_sessions where main_classroom_id = $1 and starts_at = $2",
      [w.classrooms.A1.id, when[0].toISOString()],
    );
    expect(booked).toEqual([{ created_by: w.users.mainA.id }]);
  });
});

// ─── Rescheduling and cancelling ─────────────────────────────────────────────────────────

/** Who manages a class scheduled by teacherA (main mainA, receiving receivingB). */
const MANAGERS = new Set<AnyLivePersona>(["mainA", "receivingB", "teacherA", "adminA", "adminB"]);

describe("reschedule_live_session and cancel_live_session", () => {
  const world = sharedWorld();

  it.each(["anonymous", ...LIVE_SESSION_PERSONAS] as const)("%s", async (persona) => {
    const w = await world();
    const day = 1 + ["anonymous", ...LIVE_SESSION_PERSONAS].indexOf(persona);
    const id = await w.scheduleOne(slot(day, "10:00", "10:45"), {}, "teacherA");
    const moved = slot(day, "14:00", "14:45");
    if (persona === "anonymous") {
      await expectPgError(w.reschedule(persona, id, moved, "weather"), E.notAllowed, functionDenied("reschedule_live_session"));
      await expectPgError(w.cancel(persona, id, "weather"), E.notAllowed, functionDenied("cancel_live_session"));
    } else if (!MANAGERS.has(persona)) {
      const before = await w.footprint();
      await expectPgError(w.reschedule(persona, id, moved, "weather"), E.notAllowed, "not allowed to reschedule this class");
      await expectPgError(w.cancel(persona, id, "weather"), E.notAllowed, "not allowed to cancel this class");
      expect(await w.footprint()).toEqual(before);
    } else {
      await w.reschedule(persona, id, moved, "weather");
      expect(await w.session(id)).toMatchObject({ starts_at: moved[0], ends_at: moved[1], status: "scheduled", sequence: 1 });
      await w.cancel(persona, id, "exams");
      expect(await w.session(id)).toMatchObject({ status: "cancelled", cancel_reason: "exams", sequence: 2 });
    }
  });

  it("keeps every change with its reason, counts the calendar's sequence and logs events with reasons", async () => {
    const w = await world();
    const first = slot(20, "10:00", "10:45");
    const second = slot(20, "11:00", "11:45");
    const third = slot(21, "11:00", "11:45");
    const id = await w.scheduleOne(first);
    await w.reschedule("mainA", id, second, "network", "  类乌齐网络检修\u3000");
    await w.reschedule("receivingB", id, third, "weather");
    await w.cancel("adminB", id, "other", "期中考试提前");
    expect(await w.session(id)).toMatchObject({ status: "cancelled", cancel_reason: "other", sequence: 3 });

    const changes = await owner<Record<string, string | null>>(
      `select kind, reason, note, previous_starts_at, previous_ends_at, starts_at, ends_at, actor_id
       from public.live_session_changes where session_id = $1 order by created_at, id`,
      [id],
    );
    const times = (row: Record<string, string | null>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v !== null && k.endsWith("_at") ? iso(v) : v]));
    expect(changes.map(times)).toEqual([
      {
        kind: "rescheduled",
        reason: "network",
        note: "类乌齐网络检修",
        previous_starts_at: iso(first[0]),
        previous_ends_at: iso(first[1]),
        starts_at: iso(second[0]),
        ends_at: iso(second[1]),
        actor_id: w.users.mainA.id,
      },
      {
        kind: "rescheduled",
        reason: "weather",
        note: null,
        previous_starts_at: iso(second[0]),
        previous_ends_at: iso(second[1]),
        starts_at: iso(third[0]),
        ends_at: iso(third[1]),
        actor_id: w.users.receivingB.id,
      },
      {
        kind: "cancelled",
        reason: "other",
        note: "期中考试提前",
        previous_starts_at: iso(third[0]),
        previous_ends_at: iso(third[1]),
        starts_at: null,
        ends_at: null,
        actor_id: w.users.adminB.id,
      },
    ]);
    const events = (await w.liveEvents()).filter((e) => e.data.session_id === id);
    expect(events.map(({ kind, actor_id, reason, data }) => ({ kind, actor_id, reason, code: data.reason }))).toEqual([
      { kind: "live_session_rescheduled", actor_id: "mainA", reason: "类乌齐网络检修", code: "network" },
      { kind: "live_session_rescheduled", actor_id: "receivingB", reason: null, code: "weather" },
      { kind: "live_session_cancelled", actor_id: "adminB", reason: "期中考试提前", code: "other" },
    ]);
  });

  it("a reason code is required", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(22, "10:00", "10:45"));
    const before = await w.footprint();
    for (const reason of [null, "", "bored", "Weather"]) {
      await expectPgError(w.reschedule("mainA", id, slot(22, "11:00", "11:45"), reason), E.invalidInput, "a reason code is required");
      await expectPgError(w.cancel("mainA", id, reason), E.invalidInput, "a reason code is required");
    }
    expect(await w.footprint()).toEqual(before);
  });

  it("a reschedule obeys the same time rules as scheduling", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(23, "10:00", "10:45"));
    const before = await w.footprint();
    const past: Slot = [new Date(Date.now() - 3_600_000), new Date(Date.now() - 1_800_000)];
    await expectPgError(w.reschedule("mainA", id, past, "other"), E.invalidInput, "occurrence 1 starts in the past");
    await expectPgError(
      w.reschedule("mainA", id, slot(23, "11:00", "10:00"), "other"),
      E.invalidInput,
      "occurrence 1 ends before it starts",
    );
    await expectPgError(
      w.reschedule("mainA", id, slot(23, "08:00", "12:30"), "other"),
      E.invalidInput,
      "occurrence 1 is longer than 4 hours",
    );
    expect(await w.footprint()).toEqual(before);
  });

  it.each(["live", "ended", "cancelled"] as const)("only a scheduled class moves or is cancelled, not a %s one", async (status) => {
    const w = await world();
    const day = 30 + ["live", "ended", "cancelled"].indexOf(status);
    const id = await w.scheduleOne(slot(day, "10:00", "10:45"));
    if (status === "live") await w.markLive(id);
    if (status === "ended") await w.markEnded(id);
    if (status === "cancelled") await w.cancel("mainA", id, "weather");
    const before = await w.footprint();
    await expectPgError(
      w.reschedule("mainA", id, slot(day, "14:00", "14:45"), "other"),
      E.illegalState,
      `only a scheduled class can be moved; this one is ${status}`,
    );
    await expectPgError(w.cancel("adminA", id, "other"), E.illegalState, `only a scheduled class can be cancelled; this one is ${status}`);
    expect(await w.footprint()).toEqual(before);
  });

  it("a paused pairing's classes can be cancelled by their managers, not moved, and not by observers", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    await w.movePairing("paused");
    for (const persona of ["teacherA", "teacherB", "coordinatorX"] as const) {
      await expectPgError(w.cancel(persona, id, "weather"), E.notAllowed, "not allowed to cancel this class");
    }
    await expectPgError(
      w.reschedule("mainA", id, slot(2, "10:00", "10:45"), "weather"),
      E.illegalState,
      "classes are moved in active pairings; cancel it, or resume the pairing first",
    );
    expect(await w.session(id)).toMatchObject({ status: "scheduled", sequence: 0 });
    await w.cancel("receivingB", id, "weather", "寒假");
    expect(await w.session(id)).toMatchObject({ status: "cancelled", cancel_reason: "weather", sequence: 1 });
  });

  it("a session that does not exist is refused as a stranger's", async () => {
    const w = await world();
    const none = "00000000-0000-4000-8000-000000000000";
    await expectPgError(
      w.reschedule("adminA", none, slot(24, "10:00", "10:45"), "other"),
      E.notAllowed,
      "not allowed to reschedule this class",
    );
    await expectPgError(w.cancel("adminA", none, "other"), E.notAllowed, "not allowed to cancel this class");
  });

  it("the change log is append-only, even for the database owner", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(25, "10:00", "10:45"));
    await w.reschedule("mainA", id, slot(25, "11:00", "11:45"), "network");
    for (const [statement, op] of [
      ["update public.live_session_changes set reason = 'other' where session_id = $1", "update"],
      ["update public.live_session_changes set note = '改写历史' where session_id = $1", "update"],
      ["delete from public.live_session_changes where session_id = $1", "delete"],
      // Nor does removing the session take its changes with it.
      ["delete from public.live_sessions where id = $1", "delete"],
    ] as const) {
      await expectPgError(owner(statement, [id]), E.kept, `the reschedule and cancellation log is append-only: ${op} refused`);
    }
    for (const persona of ["mainA", "platformAdmin"] as const) {
      await expectPgError(
        w.as(persona, (tx) => tx.execute(sql`update public.live_session_changes set reason = 'other' where session_id = ${id}::uuid`)),
        E.notAllowed,
        permissionDenied("live_session_changes"),
      );
      await expectPgError(
        w.as(persona, (tx) => tx.execute(sql`delete from public.live_session_changes where session_id = ${id}::uuid`)),
        E.notAllowed,
        permissionDenied("live_session_changes"),
      );
    }
    expect(await owner("select reason, note from public.live_session_changes where session_id = $1", [id])).toEqual([
      { reason: "network", note: null },
    ]);
  });
});

// ─── After the class ─────────────────────────────────────────────────────────────────────

describe("the class's teachers are notified", () => {
  const notices = async (w: LiveSessionWorld) => {
    const rows = await owner<{ user_id: string; kind: string; data: Record<string, unknown> }>(
      "select user_id, kind, data from public.notifications where user_id = any($1::uuid[]) and kind like 'live_session_%' order by created_at, kind",
      [Object.values(w.users).map((u) => u.id)],
    );
    return rows
      .map((r) => ({ to: w.label(r.user_id), kind: r.kind, title: r.data.title, reason: r.data.reason ?? null }))
      .sort((a, b) => `${a.kind} ${a.to}`.localeCompare(`${b.kind} ${b.to}`));
  };

  it("of a class scheduled, moved or cancelled with their classrooms, except whoever did it", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const ids = await w.schedule("mainA", weekly(slot(1, "10:00", "10:45"), 3));
    expect(await notices(w)).toEqual([{ to: "receivingB", kind: "live_session_scheduled", title: "《秋天的雨》同步课", reason: null }]);
    await w.reschedule("receivingB", ids[0], slot(2, "10:00", "10:45"), "network");
    await w.cancel("adminA", ids[1], "exams");
    expect(await notices(w)).toEqual([
      { to: "mainA", kind: "live_session_cancelled", title: "《秋天的雨》同步课", reason: "exams" },
      { to: "receivingB", kind: "live_session_cancelled", title: "《秋天的雨》同步课", reason: "exams" },
      { to: "mainA", kind: "live_session_rescheduled", title: "《秋天的雨》同步课", reason: "network" },
      { to: "receivingB", kind: "live_session_scheduled", title: "《秋天的雨》同步课", reason: null },
    ]);
    const [moved] = await owner<{ data: { starts_at: string; session_id: string } }>(
      "select data from public.notifications where kind = 'live_session_rescheduled' and user_id = $1",
      [w.users.mainA.id],
    );
    expect({ session: moved.data.session_id, startsAt: new Date(moved.data.starts_at).toISOString() }).toEqual({
      session: ids[0],
      startsAt: slot(2, "10:00", "10:45")[0].toISOString(),
    });
  });
});

describe("record_live_session_headcount", () => {
  const world = sharedWorld();

  it("the receiving teacher for their classroom, the main teacher for the main one; nobody else", async () => {
    const w = await world();
    const { A1, B1 } = w.classrooms;
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    await w.markEnded(id);
    const refused = "only the classroom's own teacher enters its headcount";
    const before = await w.footprint();
    await expectPgError(w.recordHeadcount("mainA", id, B1.id, 30), E.notAllowed, refused);
    await expectPgError(w.recordHeadcount("receivingB", id, A1.id, 30), E.notAllowed, refused);
    for (const persona of [
      "teacherA",
      "adminA",
      "teacherB",
      "adminB",
      "coordinatorX",
      "coordinatorY",
      "platformAdmin",
      "teacherC",
      "stranger",
    ] as const) {
      for (const classroom of [A1, B1]) {
        expect([persona, await outcome(w.recordHeadcount(persona, id, classroom.id, 30))]).toEqual([persona, E.notAllowed]);
      }
    }
    await expectPgError(w.recordHeadcount("anonymous", id, A1.id, 30), E.notAllowed, functionDenied("record_live_session_headcount"));
    expect(await w.footprint()).toEqual(before);

    await w.recordHeadcount("mainA", id, A1.id, 45);
    await w.recordHeadcount("receivingB", id, B1.id, 0);
    expect(
      await owner(
        "select classroom_id, headcount, entered_by from public.live_session_headcounts where session_id = $1 order by headcount",
        [id],
      ),
    ).toEqual([
      { classroom_id: B1.id, headcount: 0, entered_by: w.users.receivingB.id },
      { classroom_id: A1.id, headcount: 45, entered_by: w.users.mainA.id },
    ]);
  });

  it("is entered once the class is live or over, not before", async () => {
    const w = await world();
    const scheduled = await w.scheduleOne(slot(2, "10:00", "10:45"));
    const cancelled = await w.scheduleOne(slot(2, "11:00", "11:45"));
    await w.cancel("mainA", cancelled, "weather");
    await expectPgError(
      w.recordHeadcount("mainA", scheduled, w.classrooms.A1.id, 40),
      E.illegalState,
      "a headcount is entered once the class has taken place; it is scheduled",
    );
    await expectPgError(
      w.recordHeadcount("mainA", cancelled, w.classrooms.A1.id, 40),
      E.illegalState,
      "a headcount is entered once the class has taken place; it is cancelled",
    );
    await w.markLive(scheduled);
    await w.recordHeadcount("receivingB", scheduled, w.classrooms.B1.id, 28);
  });

  it("is a number from 0 to 200, and a second entry replaces the first", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(3, "10:00", "10:45"));
    await w.markEnded(id);
    const check = checkViolation("live_session_headcounts", "live_session_headcounts_headcount_check");
    await expectPgError(w.recordHeadcount("receivingB", id, w.classrooms.B1.id, -1), E.check, check);
    await expectPgError(w.recordHeadcount("receivingB", id, w.classrooms.B1.id, 201), E.check, check);
    await w.recordHeadcount("receivingB", id, w.classrooms.B1.id, 200);
    await w.recordHeadcount("receivingB", id, w.classrooms.B1.id, 31);
    expect(await owner("select headcount from public.live_session_headcounts where session_id = $1", [id])).toEqual([{ headcount: 31 }]);
    const events = (await w.liveEvents()).filter((e) => e.data.session_id === id);
    expect(events.map((e) => [e.kind, e.actor_id, e.data.headcount])).toEqual([
      ["headcount_recorded", "receivingB", 200],
      ["headcount_recorded", "receivingB", 31],
    ]);
  });
});

describe("submit_live_session_observation (听评课)", () => {
  const world = sharedWorld();
  const OBSERVERS = ["teacherA", "adminA", "teacherB", "adminB", "coordinatorX", "coordinatorY", "coordinatorY2", "platformAdmin"] as const;

  it("observers submit one each; the class's own teachers and outsiders cannot", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    await w.markEnded(id);
    const before = await w.footprint();
    for (const persona of ["mainA", "receivingB", "teacherC", "coordinatorZ", "stranger"] as const) {
      await expectPgError(w.submitObservation(persona, id), E.notAllowed, "only observers submit observations");
    }
    await expectPgError(w.submitObservation("anonymous", id), E.notAllowed, functionDenied("submit_live_session_observation"));
    expect(await w.footprint()).toEqual(before);
    for (const persona of OBSERVERS) await w.submitObservation(persona, id, GOOD_RUBRIC, `${persona}的评课`);
    const rows = await owner<{ observer_id: string; rubric: unknown; notes: string }>(
      "select observer_id, rubric, notes from public.live_session_observations where session_id = $1",
      [id],
    );
    expect(rows.map((r) => `${w.label(r.observer_id)}: ${r.notes}`).sort()).toEqual(OBSERVERS.map((p) => `${p}: ${p}的评课`).sort());
    expect(rows.map((r) => r.rubric)).toEqual(OBSERVERS.map(() => GOOD_RUBRIC));
  });

  /** One class that took place, for the refusals (which write nothing). */
  let ended: Promise<string> | undefined;
  const endedClass = () =>
    (ended ??= (async () => {
      const w = await world();
      const id = await w.scheduleOne(slot(3, "10:00", "10:45"));
      await w.markEnded(id);
      return id;
    })());

  it("follows a class that took place", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(2, "10:00", "10:45"));
    await expectPgError(
      w.submitObservation("coordinatorX", id),
      E.illegalState,
      "observations follow a class that took place; it is scheduled",
    );
    await w.markLive(id);
    expect(await outcome(w.submitObservation("coordinatorX", id))).toBe("ok");
  });

  it.each([
    ["a missing criterion", { objectives: 4, interaction: 5, remote_inclusion: 3, engagement: 4 }],
    ["an unknown criterion", { ...GOOD_RUBRIC, punctuality: 5 }],
    ["a 0", { ...GOOD_RUBRIC, objectives: 0 }],
    ["a 6", { ...GOOD_RUBRIC, engagement: 6 }],
    ["a 3.5", { ...GOOD_RUBRIC, technology: 3.5 }],
    ["a score as a string", { ...GOOD_RUBRIC, interaction: "5" }],
    ["a score as null", { ...GOOD_RUBRIC, interaction: null }],
    ["an empty rubric", {}],
    ["a list", [4, 5, 3, 4, 2]],
    ["a number", 5],
    ["no rubric", null],
  ] as const)("refuses %s", async (_, rubric) => {
    const w = await world();
    const id = await endedClass();
    const before = await w.footprint();
    await expectPgError(w.submitObservation("teacherB", id, rubric), E.invalidInput, "the rubric scores each criterion 1 to 5");
    expect(await w.footprint()).toEqual(before);
  });

  it("a revision updates the observer's one observation, and is announced once", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(4, "10:00", "10:45"));
    await w.markEnded(id);
    const first = await w.submitObservation("coordinatorY", id, GOOD_RUBRIC, "初评");
    const revised = { ...GOOD_RUBRIC, remote_inclusion: 5 };
    const second = await w.submitObservation("coordinatorY", id, revised, "  复评：远端互动很好 ");
    expect(second).toBe(first);
    expect(await owner("select id, rubric, notes from public.live_session_observations where session_id = $1", [id])).toEqual([
      { id: first, rubric: revised, notes: "复评：远端互动很好" },
    ]);
    const events = (await w.liveEvents()).filter((e) => e.data.session_id === id);
    expect(events).toEqual([
      { kind: "observation_submitted", actor_id: "coordinatorY", reason: null, data: { session_id: id, observation_id: first } },
    ]);
  });

  it("coordinators still observe a paused pairing's class; its members no longer do", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    await w.markEnded(id);
    await w.movePairing("paused");
    await expectPgError(w.submitObservation("teacherA", id), E.notAllowed, "only observers submit observations");
    expect(await outcome(w.submitObservation("coordinatorY", id))).toBe("ok");
  });
});

describe("save_live_session_reflection", () => {
  const world = sharedWorld();

  it("the main and receiving teachers write one each, linked to the session's lesson plan", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    await w.markEnded(id);
    const before = await w.footprint();
    for (const persona of ["teacherA", "adminA", "teacherB", "adminB", "coordinatorX", "platformAdmin", "teacherC", "stranger"] as const) {
      await expectPgError(w.saveReflection(persona, id, "我的反思"), E.notAllowed, "reflections are written by the class's teachers");
    }
    await expectPgError(w.saveReflection("anonymous", id, "匿名"), E.notAllowed, functionDenied("save_live_session_reflection"));
    expect(await w.footprint()).toEqual(before);

    await w.saveReflection("mainA", id, " 远端学生朗读很投入 ");
    await w.saveReflection("receivingB", id, "声音延迟，下次提前调试");
    await w.saveReflection("receivingB", id, "声音延迟，下次提前二十分钟调试");
    expect(
      await owner("select author_id, lesson_plan_id, body from public.live_session_reflections where session_id = $1 order by body", [id]),
    ).toEqual([
      { author_id: w.users.receivingB.id, lesson_plan_id: w.planId, body: "声音延迟，下次提前二十分钟调试" },
      { author_id: w.users.mainA.id, lesson_plan_id: w.planId, body: "远端学生朗读很投入" },
    ]);
    const events = (await w.liveEvents()).filter((e) => e.data.session_id === id);
    expect(events.map((e) => [e.kind, e.actor_id, e.data.lesson_plan_id])).toEqual([
      ["reflection_saved", "mainA", w.planId],
      ["reflection_saved", "receivingB", w.planId],
    ]);
  });

  it("a session without a plan gives a reflection without one", async () => {
    const w = await world();
    const [id] = await w.schedule("mainA", [slot(2, "10:00", "10:45")], { lessonPlanId: null });
    await w.markLive(id);
    await w.saveReflection("mainA", id, "临时加的课");
    expect(await owner("select lesson_plan_id from public.live_session_reflections where session_id = $1", [id])).toEqual([
      { lesson_plan_id: null },
    ]);
  });

  it("refuses a blank or missing body, and a class that has not taken place", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(3, "10:00", "10:45"));
    await expectPgError(
      w.saveReflection("mainA", id, "反思"),
      E.illegalState,
      "reflections follow a class that took place; it is scheduled",
    );
    await w.markEnded(id);
    const before = await w.footprint();
    const check = checkViolation("live_session_reflections", "live_session_reflections_body_check");
    await expectPgError(w.saveReflection("mainA", id, " \n\u3000"), E.check, check);
    await expectPgError(w.saveReflection("mainA", id, "思".repeat(5001)), E.check, check);
    await expectPgError(w.saveReflection("mainA", id, null), "23502", /null value in column "body"/);
    expect(await w.footprint()).toEqual(before);
  });
});

// ─── The class chat ──────────────────────────────────────────────────────────────────────

describe("the class chat", () => {
  const world = sharedWorld();
  const messages = (id: string) =>
    owner<{ author_id: string; body: string }>(
      "select author_id, body from public.live_session_messages where session_id = $1 order by created_at, id",
      [id],
    );
  const readChat = (w: LiveSessionWorld, persona: AnyLivePersona, id: string) =>
    w.as(persona, (tx) =>
      selectRows<{ body: string }>(tx, sql`select body from public.live_session_messages where session_id = ${id}::uuid`),
    );

  it("whoever may join writes as themselves; outsiders neither read nor write", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    await w.markLive(id);
    for (const persona of ["mainA", "receivingB", "teacherA", "coordinatorY", "platformAdmin"] as const) {
      await w.as(persona, insertMessage(id, `${persona}：大家好`));
    }
    expect((await messages(id)).map((m) => `${w.label(m.author_id)}: ${m.body}`)).toEqual([
      "mainA: mainA：大家好",
      "receivingB: receivingB：大家好",
      "teacherA: teacherA：大家好",
      "coordinatorY: coordinatorY：大家好",
      "platformAdmin: platformAdmin：大家好",
    ]);
    expect(await readChat(w, "receivingB", id)).toHaveLength(5);
    for (const persona of ["teacherC", "coordinatorZ", "stranger"] as const) {
      await expectPgError(w.as(persona, insertMessage(id, "我也来")), E.notAllowed, rlsViolation("live_session_messages"));
      expect(await readChat(w, persona, id)).toEqual([]);
    }
    await expectPgError(w.as("anonymous", insertMessage(id, "匿名")), E.notAllowed, permissionDenied("live_session_messages"));
    expect(await messages(id)).toHaveLength(5);
  });

  it("nobody writes in someone else's name, edits or deletes a message", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(2, "10:00", "10:45"));
    await w.as("mainA", insertMessage(id, "上课了"));
    const attempts: [string, ReturnType<typeof sql>][] = [
      [
        "forged author",
        sql`insert into public.live_session_messages (session_id, author_id, body) values (${id}::uuid, ${w.users.mainA.id}::uuid, '冒名')`,
      ],
      ["edit", sql`update public.live_session_messages set body = '改了' where session_id = ${id}::uuid`],
      ["delete", sql`delete from public.live_session_messages where session_id = ${id}::uuid`],
    ];
    for (const persona of ["receivingB", "mainA"] as const) {
      for (const [what, statement] of attempts) {
        expect([persona, what, await outcome(w.as(persona, (tx) => tx.execute(statement)))]).toEqual([persona, what, E.notAllowed]);
      }
    }
    await expectPgError(
      w.as("receivingB", (tx) => tx.execute(attempts[0][1])),
      E.notAllowed,
      permissionDenied("live_session_messages"),
    );
    expect(await messages(id)).toEqual([{ author_id: w.users.mainA.id, body: "上课了" }]);
  });

  it("refuses a blank or too long message", async () => {
    const w = await world();
    const id = await w.scheduleOne(slot(3, "10:00", "10:45"));
    const check = checkViolation("live_session_messages", "live_session_messages_body_check");
    await expectPgError(w.as("mainA", insertMessage(id, " \u3000\n")), E.check, check);
    await expectPgError(w.as("mainA", insertMessage(id, "话".repeat(1001))), E.check, check);
    await w.as("mainA", insertMessage(id, "话".repeat(1000)));
    expect(await messages(id)).toHaveLength(1);
  });

  it("a paused pairing's members lose the chat; its coordinators keep it", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    await w.as("mainA", insertMessage(id, "暂停前的消息"));
    await w.movePairing("paused");
    await expectPgError(w.as("mainA", insertMessage(id, "还在吗")), E.notAllowed, rlsViolation("live_session_messages"));
    expect(await readChat(w, "mainA", id)).toEqual([]);
    await w.as("coordinatorX", insertMessage(id, "课程暂停，寒假后恢复"));
    expect(await readChat(w, "coordinatorY", id)).toHaveLength(2);
  });
});

// ─── Calendar feeds ──────────────────────────────────────────────────────────────────────

describe("calendar_feeds", () => {
  const hash = (seed: string) => createHash("sha256").update(seed).digest("hex");
  const feeds = (w: LiveSessionWorld, persona: AnyLivePersona) =>
    w.as(persona, (tx) =>
      selectRows<{ user_id: string; token_hash: string }>(tx, sql`select user_id, token_hash from public.calendar_feeds`),
    );
  const create = (w: LiveSessionWorld, persona: AnyLivePersona, tokenHash: string) =>
    w.as(persona, (tx) => tx.execute(sql`insert into public.calendar_feeds (token_hash) values (${tokenHash})`));

  it("each user sees, creates, rotates and revokes only their own", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const { mainA, receivingB } = w.users;
    await create(w, "mainA", hash("mainA-1"));
    await create(w, "receivingB", hash("receivingB-1"));
    expect(await feeds(w, "mainA")).toEqual([{ user_id: mainA.id, token_hash: hash("mainA-1") }]);
    expect(await feeds(w, "receivingB")).toEqual([{ user_id: receivingB.id, token_hash: hash("receivingB-1") }]);
    for (const persona of ["platformAdmin", "coordinatorX", "adminA"] as const) expect(await feeds(w, persona)).toEqual([]);

    // Rotating touches only the caller's row, whatever the statement says.
    const rotated = await w.as("mainA", (tx) =>
      selectRows<{ user_id: string }>(tx, sql`update public.calendar_feeds set token_hash = ${hash("mainA-2")} returning user_id`),
    );
    expect(rotated).toEqual([{ user_id: mainA.id }]);
    const theirs = await w.as("mainA", (tx) =>
      selectRows(
        tx,
        sql`update public.calendar_feeds set token_hash = ${hash("stolen")} where user_id = ${receivingB.id}::uuid returning user_id`,
      ),
    );
    expect(theirs).toEqual([]);
    const deleted = await w.as("adminA", (tx) => selectRows(tx, sql`delete from public.calendar_feeds returning user_id`));
    expect(deleted).toEqual([]);
    // Creating one for someone else, or a second one, is refused.
    await expectPgError(
      w.as("mainA", (tx) =>
        tx.execute(sql`insert into public.calendar_feeds (user_id, token_hash) values (${receivingB.id}::uuid, ${hash("forged")})`),
      ),
      E.notAllowed,
      permissionDenied("calendar_feeds"),
    );
    expect(findPgError(await create(w, "mainA", hash("mainA-3")).catch((e: unknown) => e))?.code).toBe("23505");

    await w.as("receivingB", (tx) => tx.execute(sql`delete from public.calendar_feeds`));
    expect(
      await owner("select user_id, token_hash from public.calendar_feeds where user_id = any($1::uuid[])", [[mainA.id, receivingB.id]]),
    ).toEqual([{ user_id: mainA.id, token_hash: hash("mainA-2") }]);
  });

  it("stores only a sha256 in hex", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const check = checkViolation("calendar_feeds", "calendar_feeds_token_hash_check");
    for (const bad of ["secret-token", hash("x").toUpperCase(), hash("x").slice(1), `${hash("x")}0`, ""]) {
      await expectPgError(create(w, "teacherB", bad), E.check, check);
    }
    await create(w, "teacherB", hash("x"));
    await expectPgError(
      w.as("teacherB", (tx) => tx.execute(sql`update public.calendar_feeds set token_hash = 'plain'`)),
      E.check,
      check,
    );
  });

  it("anonymous reads and writes nothing", async () => {
    const w = await createLiveSessionWorld(database.handle);
    await create(w, "mainA", hash("anon-test"));
    await expectPgError(feeds(w, "anonymous"), E.notAllowed, permissionDenied("calendar_feeds"));
    await expectPgError(create(w, "anonymous", hash("anon")), E.notAllowed, permissionDenied("calendar_feeds"));
  });
});

// ─── Classrooms across the pairing ───────────────────────────────────────────────────────

describe("classrooms across a pairing", () => {
  const classroomsOf = (w: LiveSessionWorld, persona: AnyLivePersona, schoolId: string) =>
    w.as(persona, async (tx) =>
      (await selectRows<{ id: string }>(tx, sql`select id from public.classrooms where school_id = ${schoolId}::uuid order by name`)).map(
        (r) => w.label(r.id),
      ),
    );
  const A = ["classroomA1", "classroomA2"];
  const B = ["classroomB1", "classroomB2"];

  it("the partner school's people read them while the pairing is active or paused, not once it ends; strangers never", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const seen = async () => ({
      "teacherB reads A": await classroomsOf(w, "teacherB", w.schoolA.id),
      "adminA reads B": await classroomsOf(w, "adminA", w.schoolB.id),
      "coordinatorY reads A": await classroomsOf(w, "coordinatorY", w.schoolA.id),
      "teacherC reads A": await classroomsOf(w, "teacherC", w.schoolA.id),
      "stranger reads B": await classroomsOf(w, "stranger", w.schoolB.id),
      "coordinatorZ reads A": await classroomsOf(w, "coordinatorZ", w.schoolA.id),
    });
    const strangers = { "teacherC reads A": [], "stranger reads B": [], "coordinatorZ reads A": [] };
    const partners = { "teacherB reads A": A, "adminA reads B": B, "coordinatorY reads A": A, ...strangers };
    expect(await seen()).toEqual(partners);
    // Reading is not managing.
    const renamed = await w.as("teacherB", (tx) =>
      selectRows(tx, sql`update public.classrooms set name = '改名' where id = ${w.classrooms.A1.id}::uuid returning id`),
    );
    expect(renamed).toEqual([]);
    await w.movePairing("paused");
    expect(await seen()).toEqual(partners);
    await w.transition("coordinatorY", w.pairingId, "end", { reason: "合作期满" });
    // The coordinators keep the pairing's history; the schools part.
    expect(await seen()).toEqual({ ...partners, "teacherB reads A": [], "adminA reads B": [] });
    expect(await classroomsOf(w, "teacherB", w.schoolB.id)).toEqual(B);
  });
});

// ─── No direct writes, grants ────────────────────────────────────────────────────────────

describe("sessions and their rows are written through the functions and by system work only", () => {
  it.each(["mainA", "adminA", "platformAdmin"] as const)("%s cannot write them directly", async (persona) => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    const { A1, B1 } = w.classrooms;
    const me = w.users[persona].id;
    const before = await w.footprint();
    const attempts: [string, ReturnType<typeof sql>][] = [
      ["live_sessions", sql`update public.live_sessions set status = 'live', started_at = now() where id = ${id}::uuid`],
      ["live_sessions", sql`update public.live_sessions set starts_at = starts_at - interval '1 day' where id = ${id}::uuid`],
      ["live_sessions", sql`delete from public.live_sessions where id = ${id}::uuid`],
      [
        "live_sessions",
        sql`insert into public.live_sessions (pairing_id, title, main_classroom_id, main_teacher_id, starts_at, ends_at, created_by)
            values (${w.pairingId}::uuid, '直接写入', ${A1.id}::uuid, ${me}::uuid, now() + interval '2 days', now() + interval '49 hours', ${me}::uuid)`,
      ],
      [
        "live_session_classrooms",
        sql`insert into public.live_session_classrooms values (${id}::uuid, ${w.classrooms.B2.id}::uuid, ${me}::uuid)`,
      ],
      ["live_session_classrooms", sql`delete from public.live_session_classrooms where session_id = ${id}::uuid`],
      [
        "live_session_changes",
        sql`insert into public.live_session_changes (session_id, kind, reason, previous_starts_at, previous_ends_at, actor_id)
            values (${id}::uuid, 'cancelled', 'other', now(), now(), ${me}::uuid)`,
      ],
      [
        "live_session_attendance",
        sql`insert into public.live_session_attendance (session_id, participant_sid, identity, joined_at) values (${id}::uuid, 'PA_x', 'x', now())`,
      ],
      [
        "live_session_headcounts",
        sql`insert into public.live_session_headcounts (session_id, classroom_id, headcount, entered_by) values (${id}::uuid, ${B1.id}::uuid, 1, ${me}::uuid)`,
      ],
      [
        "live_session_observations",
        sql`insert into public.live_session_observations (session_id, observer_id, rubric) values (${id}::uuid, ${me}::uuid, '{}')`,
      ],
      [
        "live_session_reflections",
        sql`insert into public.live_session_reflections (session_id, author_id, body) values (${id}::uuid, ${me}::uuid, '直接写入')`,
      ],
    ];
    for (const [table, statement] of attempts) {
      await expectPgError(
        w.as(persona, (tx) => tx.execute(statement)),
        E.notAllowed,
        permissionDenied(table),
      );
    }
    await expectPgError(
      w.as(persona, (tx) => tx.execute(sql`select * from private.livekit_webhook_events`)),
      E.notAllowed,
      permissionDenied("livekit_webhook_events"),
    );
    expect(await w.footprint()).toEqual(before);
    expect(await w.session(id)).toMatchObject({ status: "scheduled" });
  });

  it("system work, as service_role, records a webhook delivery, asks who a participant is and moves the class", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(slot(1, "10:00", "10:45"));
    const people = [w.users.mainA.id, w.users.receivingB.id, w.users.teacherB.id, w.users.coordinatorY.id, w.users.stranger.id];
    const roles = await withServiceRole(database.handle.db, async (tx) => {
      await tx.execute(sql`insert into private.livekit_webhook_events (id, kind, room_name) values ('EV_started', 'room_started', ${id})`);
      const retried = await selectRows(
        tx,
        sql`insert into private.livekit_webhook_events (id, kind) values ('EV_started', 'room_started') on conflict (id) do nothing returning id`,
      );
      expect(retried).toEqual([]);
      await tx.execute(sql`update public.live_sessions set status = 'live', started_at = now() where id = ${id}::uuid`);
      return selectRows<{ role: string | null }>(
        tx,
        sql`select private.live_session_role_of(${id}::uuid, u) as role from unnest(${sql.param(
          people,
        )}::uuid[]) with ordinality as p(u, i) order by i`,
      );
    });
    expect(roles.map((r) => r.role)).toEqual(["main", "receiving", "observer", "observer", null]);
    expect(await w.session(id)).toMatchObject({ status: "live" });
    // The users' functions are not system work.
    await expectPgError(
      withServiceRole(database.handle.db, (tx) => tx.execute(sql`select public.cancel_live_session(${id}::uuid, 'other', null)`)),
      E.notAllowed,
      functionDenied("cancel_live_session"),
    );
  });

  it("the functions are security definer, with an empty search_path, executable by authenticated only", async () => {
    const FUNCTIONS = [
      "cancel_live_session",
      "record_live_session_headcount",
      "reschedule_live_session",
      "save_live_session_reflection",
      "schedule_live_session",
      "submit_live_session_observation",
    ];
    const functions = await owner<{ name: string; definer: boolean; config: string[]; grantees: string[] }>(
      `select p.proname as name, p.prosecdef as definer, p.proconfig as config,
              array(select coalesce(r.rolname, 'PUBLIC') from aclexplode(p.proacl) a
                    left join pg_roles r on r.oid = a.grantee
                    where a.privilege_type = 'EXECUTE' and a.grantee <> p.proowner order by 1) as grantees
       from pg_proc p
       where p.pronamespace = 'public'::regnamespace and p.proname = any($1::text[])
       order by 1`,
      [FUNCTIONS],
    );
    expect(functions).toEqual(FUNCTIONS.map((name) => ({ name, definer: true, config: ['search_path=""'], grantees: ["authenticated"] })));
  });
});

import { sql } from "drizzle-orm";
import type { DbHandle, Transaction } from "../../app/db/client.server";
import type { LiveSessionStatus } from "../../app/db/enums";
import { selectRows } from "../../app/db/execute.server";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { addMembership, createClassroom, createUser } from "./factories";
import { callCreatePlan, DEFAULT_PLAN, documentWith } from "./lesson-plan-world";
import { createPairingWorld, PAIRING_PERSONAS } from "./pairing-world";

/**
 * Everyone the live-session rules distinguish, signed in: the pairing world's people plus
 * the main (主讲) teacher at A and the receiving teacher (助学教师) at B. teacherA, adminA,
 * teacherB and adminB are then the other people of the two schools, teacherC a teacher of
 * an unrelated school, coordinatorZ a coordinator of an unrelated region.
 */
export const LIVE_SESSION_PERSONAS = ["mainA", "receivingB", ...PAIRING_PERSONAS] as const;
export type LiveSessionPersona = (typeof LIVE_SESSION_PERSONAS)[number];
export type AnyLivePersona = LiveSessionPersona | "anonymous";

/** A class time: [start, end). */
export type Slot = readonly [Date, Date];

// Midnight in China (UTC+8) on 1 March next year: every slot is in the future.
const BASE_DAY = Date.UTC(new Date().getUTCFullYear() + 1, 2, 1) - 8 * 3_600_000;

/** `time` ("10:45", China time) on the `day`-th day after the base day. */
export function at(day: number, time: string): Date {
  const [hours, minutes] = time.split(":").map(Number);
  return new Date(BASE_DAY + day * 86_400_000 + (hours * 60 + minutes) * 60_000);
}

export const slot = (day: number, from: string, to: string): Slot => [at(day, from), at(day, to)];

/** `count` occurrences of `first`, a week apart. */
export const weekly = (first: Slot, count: number): Slot[] =>
  Array.from({ length: count }, (_, i) => [
    new Date(first[0].getTime() + i * 7 * 86_400_000),
    new Date(first[1].getTime() + i * 7 * 86_400_000),
  ]);

export interface ReceivingInput {
  classroomId: string | null;
  teacherId: string | null;
}

export interface ScheduleInput {
  pairingId?: string;
  title?: string | null;
  lessonPlanId?: string | null;
  mainClassroomId?: string | null;
  mainTeacherId?: string | null;
  receiving?: readonly ReceivingInput[] | null;
}

/** The rubric's five criteria, each scored 1–5 (private.valid_observation_rubric). */
export const GOOD_RUBRIC = { objectives: 4, interaction: 5, remote_inclusion: 3, engagement: 4, technology: 2 };

/** Calls public.schedule_live_session as the transaction's user; the new sessions' ids. */
export async function callSchedule(tx: Transaction, input: Required<ScheduleInput>, slots: readonly Slot[]): Promise<string[]> {
  const receiving =
    input.receiving === null
      ? null
      : JSON.stringify(input.receiving.map((r) => ({ classroom_id: r.classroomId, teacher_id: r.teacherId })));
  const [row] = await selectRows<{ ids: string[] }>(
    tx,
    sql`select to_jsonb(public.schedule_live_session(${input.pairingId}::uuid, ${input.title}::text,
        ${input.lessonPlanId}::uuid, ${input.mainClassroomId}::uuid, ${input.mainTeacherId}::uuid, ${receiving}::jsonb,
        ${sql.param(slots.map((s) => s[0].toISOString()))}::text[]::timestamptz[],
        ${sql.param(slots.map((s) => s[1].toISOString()))}::text[]::timestamptz[])) as ids`,
  );
  return row.ids;
}

export interface SessionRow {
  id: string;
  pairing_id: string;
  series_id: string | null;
  title: string;
  lesson_plan_id: string | null;
  main_classroom_id: string;
  main_teacher_id: string;
  starts_at: Date;
  ends_at: Date;
  status: LiveSessionStatus;
  cancel_reason: string | null;
  sequence: number;
  created_by: string;
}

type User = Awaited<ReturnType<typeof createUser>>;

/**
 * The pairing world (A, the Hechuan school, in region X; B, the Leiwuqi school, in region
 * Y; C in X and D in Z, unrelated) with A and B paired and active, two classrooms at A and
 * two at B, the main teacher at A, the receiving teacher at B and a lesson plan of the
 * pairing led by the main teacher. Sessions are scheduled only through the functions; their
 * status moves as the webhook handler moves it, as the owner. Every call builds a new world.
 */
export async function createLiveSessionWorld(handle: DbHandle) {
  const w = await createPairingWorld(handle);
  const mainA = await createUser(handle, { displayName: "mainA" });
  const receivingB = await createUser(handle, { displayName: "receivingB" });
  await addMembership(handle, w.schoolA.id, mainA.id, "teacher");
  await addMembership(handle, w.schoolB.id, receivingB.id, "teacher");
  w.nameOf(mainA.id, "mainA");
  w.nameOf(receivingB.id, "receivingB");
  const users = { ...w.users, mainA, receivingB } as Record<LiveSessionPersona, User>;
  const classrooms = {
    A1: await createClassroom(handle, w.schoolA.id, "合川 三年级一班"),
    A2: await createClassroom(handle, w.schoolA.id, "合川 三年级二班"),
    B1: await createClassroom(handle, w.schoolB.id, "类乌齐 三年级一班"),
    B2: await createClassroom(handle, w.schoolB.id, "类乌齐 三年级二班"),
  };
  for (const [name, { id }] of Object.entries(classrooms)) w.nameOf(id, `classroom${name}`);

  function as<T>(persona: AnyLivePersona, work: (tx: Transaction) => Promise<T>): Promise<T> {
    return withUserTransaction(handle.db, persona === "anonymous" ? null : users[persona].claims, work);
  }

  const pairing = await w.pairingIn("active");
  w.nameOf(pairing.id, "pairingAB");
  const planId = await as("mainA", (tx) =>
    callCreatePlan(tx, pairing.id, {
      ...DEFAULT_PLAN,
      leadAuthorId: mainA.id,
      coauthorIds: [receivingB.id],
      document: documentWith("同步课堂：两校学生一起读《秋天的雨》"),
    }),
  );

  const defaults = (): Required<ScheduleInput> => ({
    pairingId: pairing.id,
    title: "《秋天的雨》同步课",
    lessonPlanId: planId,
    mainClassroomId: classrooms.A1.id,
    mainTeacherId: mainA.id,
    receiving: [{ classroomId: classrooms.B1.id, teacherId: receivingB.id }],
  });

  async function session(id: string): Promise<SessionRow> {
    const [row] = await handle.query<SessionRow>("select * from public.live_sessions where id = $1", [id]);
    if (!row) throw new Error(`No live session ${id}`);
    // postgres.js answers raw queries' timestamps as text, PGlite as Dates.
    return { ...row, starts_at: new Date(row.starts_at), ends_at: new Date(row.ends_at) };
  }

  const world = {
    ...w,
    users,
    classrooms,
    pairingId: pairing.id,
    planId,
    as,
    session,
    /** Schedules as `persona`: by default mainA in A1 with receivingB's B1, with the pairing's plan. */
    schedule(persona: AnyLivePersona, slots: readonly Slot[], input: ScheduleInput = {}) {
      return as(persona, (tx) => callSchedule(tx, { ...defaults(), ...input }, slots));
    },
    /** One session at `when`, scheduled by mainA (or `input`'s changes); its id. */
    async scheduleOne(when: Slot, input: ScheduleInput = {}, persona: AnyLivePersona = "mainA") {
      const [id] = await world.schedule(persona, [when], input);
      return id;
    },
    reschedule(persona: AnyLivePersona, sessionId: string, when: Slot, reason: string | null, note: string | null = null) {
      return as(persona, (tx) =>
        tx.execute(
          sql`select public.reschedule_live_session(${sessionId}::uuid, ${when[0].toISOString()}::timestamptz,
              ${when[1].toISOString()}::timestamptz, ${reason}::text, ${note}::text)`,
        ),
      );
    },
    cancel(persona: AnyLivePersona, sessionId: string, reason: string | null, note: string | null = null) {
      return as(persona, (tx) => tx.execute(sql`select public.cancel_live_session(${sessionId}::uuid, ${reason}::text, ${note}::text)`));
    },
    recordHeadcount(persona: AnyLivePersona, sessionId: string, classroomId: string, headcount: number | null) {
      return as(persona, (tx) =>
        tx.execute(sql`select public.record_live_session_headcount(${sessionId}::uuid, ${classroomId}::uuid, ${headcount}::integer)`),
      );
    },
    /** The observation's id. `rubric` is sent as JSON as it is (null as SQL null). */
    submitObservation(persona: AnyLivePersona, sessionId: string, rubric: unknown = GOOD_RUBRIC, notes: string | null = "") {
      const json = rubric === null ? null : JSON.stringify(rubric);
      return as(persona, async (tx) => {
        const [row] = await selectRows<{ id: string }>(
          tx,
          sql`select public.submit_live_session_observation(${sessionId}::uuid, ${json}::jsonb, ${notes}::text) as id`,
        );
        return row.id;
      });
    },
    saveReflection(persona: AnyLivePersona, sessionId: string, body: string | null) {
      return as(persona, (tx) => tx.execute(sql`select public.save_live_session_reflection(${sessionId}::uuid, ${body}::text)`));
    },
    /** What private.live_session_role answers `persona` for each session. */
    rolesOf(persona: AnyLivePersona, sessionIds: string[]) {
      return as(persona, async (tx) => {
        const rows = await selectRows<{ role: string | null }>(
          tx,
          sql`select private.live_session_role(id) as role
              from unnest(${sql.param(sessionIds)}::uuid[]) with ordinality as s(id, i) order by i`,
        );
        return rows.map((r) => r.role);
      });
    },
    /** The video server says the class started: system work, as the webhook handler does it. */
    async markLive(sessionId: string) {
      await handle.query("update public.live_sessions set status = 'live', started_at = now() where id = $1", [sessionId]);
    },
    async markEnded(sessionId: string) {
      await handle.query(
        "update public.live_sessions set status = 'ended', started_at = coalesce(started_at, now()), ended_at = now() where id = $1",
        [sessionId],
      );
    },
    /** Pauses or ends the pairing as X's coordinator (active leaves it as it is). */
    async movePairing(status: "active" | "paused" | "ended") {
      if (status === "paused") await w.transition("coordinatorX", pairing.id, "pause", { reason: "寒假" });
      if (status === "ended") await w.transition("coordinatorX", pairing.id, "end", { reason: "合作期满" });
    },
    /** The pairing's live-session events, oldest first, actors labelled. */
    async liveEvents(pairingId = pairing.id) {
      const kinds = /^(live_session_|observation_|reflection_|headcount_)/;
      return (await w.events(pairingId)).filter((e) => kinds.test(e.kind));
    },
    /** Row counts of the pairing's sessions and all around them: what a refused call must leave as it was. */
    async footprint(pairingId = pairing.id) {
      const [row] = await handle.query<Record<string, number>>(
        `with s as (select id from public.live_sessions where pairing_id = $1)
         select (select count(*)::int from s) as sessions,
                (select count(*)::int from public.live_session_classrooms where session_id in (select id from s)) as classrooms,
                (select count(*)::int from public.live_session_changes where session_id in (select id from s)) as changes,
                (select count(*)::int from public.live_session_headcounts where session_id in (select id from s)) as headcounts,
                (select count(*)::int from public.live_session_observations where session_id in (select id from s)) as observations,
                (select count(*)::int from public.live_session_reflections where session_id in (select id from s)) as reflections,
                (select count(*)::int from public.live_session_messages where session_id in (select id from s)) as messages,
                (select coalesce(sum(sequence), 0)::int from public.live_sessions where pairing_id = $1) as sequences,
                (select count(*)::int from public.pairing_events where pairing_id = $1) as events`,
        [pairingId],
      );
      return row;
    },
    /**
     * A second active pairing, of D (region Z) with B: a teacher and a classroom at D, and a
     * lesson plan of that pairing. Its sessions are scheduled by D's teacher, from D's
     * classroom, with B1 taught by teacherB receiving — so they share B1 with A and B's.
     */
    async otherPairing() {
      const teacherD = await createUser(handle, { displayName: "teacherD" });
      await addMembership(handle, w.schoolD.id, teacherD.id, "teacher");
      const classroomD = await createClassroom(handle, w.schoolD.id, "D 三年级一班");
      w.nameOf(teacherD.id, "teacherD");
      const id = await w.propose("coordinatorZ", { schoolA: w.schoolD.id, schoolB: w.schoolB.id });
      await w.transition("coordinatorY", id, "accept");
      w.nameOf(id, "pairingDB");
      const asD = <T>(work: (tx: Transaction) => Promise<T>) => withUserTransaction(handle.db, teacherD.claims, work);
      const otherPlanId = await asD((tx) =>
        callCreatePlan(tx, id, {
          ...DEFAULT_PLAN,
          leadAuthorId: teacherD.id,
          coauthorIds: [],
          document: documentWith("另一个结对的教案"),
        }),
      );
      return {
        pairingId: id,
        teacherD,
        classroomD,
        planId: otherPlanId,
        schedule: (slots: readonly Slot[]) =>
          asD((tx) =>
            callSchedule(
              tx,
              {
                pairingId: id,
                title: "另一个结对的同步课",
                lessonPlanId: null,
                mainClassroomId: classroomD.id,
                mainTeacherId: teacherD.id,
                receiving: [{ classroomId: classrooms.B1.id, teacherId: w.users.teacherB.id }],
              },
              slots,
            ),
          ),
      };
    },
  };
  return world;
}

export type LiveSessionWorld = Awaited<ReturnType<typeof createLiveSessionWorld>>;

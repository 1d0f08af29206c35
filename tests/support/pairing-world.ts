import { sql } from "drizzle-orm";
import type { DbHandle, Transaction } from "../../app/db/client.server";
import { selectRows } from "../../app/db/execute.server";
import type { PairingAction, PairingStatus, Subject } from "../../app/db/enums";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { addCoordinator, addMembership, addPlatformAdmin, createRegion, createSchool, createUser } from "./factories";

/** Everyone the pairing rules distinguish, signed in. */
export const PAIRING_PERSONAS = [
  "stranger",
  "teacherA",
  "adminA",
  "teacherB",
  "adminB",
  "teacherC",
  "coordinatorX",
  "coordinatorY",
  "coordinatorY2",
  "coordinatorZ",
  "platformAdmin",
] as const;
export type PairingPersona = (typeof PAIRING_PERSONAS)[number];

type User = Awaited<ReturnType<typeof createUser>>;

export interface GoalsInput {
  term?: string | null;
  jointLessonsPlanned?: number | null;
  subjects?: (Subject | string | null)[] | null;
}

export interface ProposalInput extends GoalsInput {
  schoolA?: string;
  schoolB?: string;
  note?: string | null;
}

export const DEFAULT_GOALS = { term: "2026-2027-1", jointLessonsPlanned: 8, subjects: ["chinese", "math"] as Subject[] };

/** Calls public.propose_pairing as the transaction's user; the new pairing's id. */
export async function callPropose(tx: Transaction, input: Required<ProposalInput>): Promise<string> {
  const [row] = await selectRows<{ id: string }>(
    tx,
    sql`select public.propose_pairing(${input.schoolA}::uuid, ${input.schoolB}::uuid, ${input.term}::text,
        ${input.jointLessonsPlanned}::integer, ${sql.param(input.subjects)}::text[], ${input.note}::text) as id`,
  );
  return row.id;
}

/** Calls public.transition_pairing as the transaction's user; the pairing's new version. */
export async function callTransition(
  tx: Transaction,
  pairingId: string,
  action: PairingAction | string | null,
  reason: string | null,
  expectedVersion: number | null,
): Promise<number> {
  const [row] = await selectRows<{ version: number }>(
    tx,
    sql`select public.transition_pairing(${pairingId}::uuid, ${action}::text, ${reason}::text, ${expectedVersion}::integer) as version`,
  );
  return Number(row.version);
}

/** Calls public.set_pairing_goals as the transaction's user; the pairing's new version. */
export async function callSetGoals(
  tx: Transaction,
  pairingId: string,
  goals: Required<GoalsInput>,
  expectedVersion: number | null,
): Promise<number> {
  const [row] = await selectRows<{ version: number }>(
    tx,
    sql`select public.set_pairing_goals(${pairingId}::uuid, ${goals.term}::text, ${goals.jointLessonsPlanned}::integer,
        ${sql.param(goals.subjects)}::text[], ${expectedVersion}::integer) as version`,
  );
  return Number(row.version);
}

export interface PairingRow {
  id: string;
  school_a_id: string;
  school_b_id: string;
  status: PairingStatus;
  proposed_by: string;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  started_at: Date | null;
  ended_at: Date | null;
  version: number;
}

export interface EventRow {
  kind: string;
  actor_id: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

/** The shortest path through the functions to each state, and who takes each step. */
const PATHS: Record<PairingStatus, { start: "coordinatorX" | "adminA"; steps: [PairingPersona, PairingAction, string?][] }> = {
  requested: { start: "adminA", steps: [] },
  proposed: { start: "coordinatorX", steps: [] },
  active: { start: "coordinatorX", steps: [["coordinatorY", "accept"]] },
  paused: {
    start: "coordinatorX",
    steps: [
      ["coordinatorY", "accept"],
      ["coordinatorX", "pause", "暑假"],
    ],
  },
  ended: {
    start: "coordinatorX",
    steps: [
      ["coordinatorY", "accept"],
      ["coordinatorY", "end", "合作期满"],
    ],
  },
  declined: { start: "coordinatorX", steps: [["coordinatorY", "decline", "学段不匹配"]] },
  withdrawn: { start: "coordinatorX", steps: [["coordinatorX", "withdraw"]] },
};

/**
 * Three regions: X with schools A and C, Y with school B, Z with school D. A teacher of A,
 * B and C, the school admins of A and B, a coordinator of X, two of Y, one of Z, a platform
 * admin and a stranger. Pairings are made only through the functions, as a user would.
 * Every call builds a new world, so tests never share rows.
 */
export async function createPairingWorld(handle: DbHandle) {
  const regionX = await createRegion(handle);
  const regionY = await createRegion(handle);
  const regionZ = await createRegion(handle);
  const schoolA = await createSchool(handle, regionX.id);
  const schoolB = await createSchool(handle, regionY.id);
  const schoolC = await createSchool(handle, regionX.id);
  const schoolD = await createSchool(handle, regionZ.id);

  const users = {} as Record<PairingPersona, User>;
  for (const persona of PAIRING_PERSONAS) users[persona] = await createUser(handle, { displayName: persona });
  await addMembership(handle, schoolA.id, users.teacherA.id, "teacher");
  await addMembership(handle, schoolA.id, users.adminA.id, "school_admin");
  await addMembership(handle, schoolB.id, users.teacherB.id, "teacher");
  await addMembership(handle, schoolB.id, users.adminB.id, "school_admin");
  await addMembership(handle, schoolC.id, users.teacherC.id, "teacher");
  await addCoordinator(handle, regionX.id, users.coordinatorX.id);
  await addCoordinator(handle, regionY.id, users.coordinatorY.id);
  await addCoordinator(handle, regionY.id, users.coordinatorY2.id);
  await addCoordinator(handle, regionZ.id, users.coordinatorZ.id);
  await addPlatformAdmin(handle, users.platformAdmin.id);

  const labels = new Map<string, string>([
    [schoolA.id, "schoolA"],
    [schoolB.id, "schoolB"],
    [schoolC.id, "schoolC"],
    [schoolD.id, "schoolD"],
    ...PAIRING_PERSONAS.map((p) => [users[p].id, p] as [string, string]),
  ]);
  const label = (id: string | null) => (id === null ? null : (labels.get(id) ?? id));

  function as<T>(persona: PairingPersona | "anonymous", work: (tx: Transaction) => Promise<T>): Promise<T> {
    return withUserTransaction(handle.db, persona === "anonymous" ? null : users[persona].claims, work);
  }

  async function pairing(id: string): Promise<PairingRow> {
    const [row] = await handle.query<PairingRow>("select * from public.pairings where id = $1", [id]);
    if (!row) throw new Error(`No pairing ${id}`);
    // postgres.js answers raw queries' timestamps as text, PGlite as Dates.
    const date = (value: Date | string | null) => (value === null ? null : new Date(value));
    return { ...row, decided_at: date(row.decided_at), started_at: date(row.started_at), ended_at: date(row.ended_at) };
  }

  const world = {
    regionX,
    regionY,
    regionZ,
    schoolA,
    schoolB,
    schoolC,
    schoolD,
    users,
    as,
    label,
    /** Names a pairing for readable assertions. */
    nameOf(id: string, name: string) {
      labels.set(id, name);
    },
    propose(persona: PairingPersona | "anonymous", input: ProposalInput = {}) {
      return as(persona, (tx) =>
        callPropose(tx, {
          schoolA: input.schoolA ?? schoolA.id,
          schoolB: input.schoolB ?? schoolB.id,
          term: input.term === undefined ? DEFAULT_GOALS.term : input.term,
          jointLessonsPlanned: input.jointLessonsPlanned === undefined ? DEFAULT_GOALS.jointLessonsPlanned : input.jointLessonsPlanned,
          subjects: input.subjects === undefined ? DEFAULT_GOALS.subjects : input.subjects,
          note: input.note ?? null,
        }),
      );
    },
    /** expectedVersion defaults to the pairing's current version (read as the owner). */
    async transition(
      persona: PairingPersona | "anonymous",
      pairingId: string,
      action: PairingAction | string | null,
      options: { reason?: string | null; expectedVersion?: number | null } = {},
    ) {
      const expected = options.expectedVersion === undefined ? (await pairing(pairingId)).version : options.expectedVersion;
      return as(persona, (tx) => callTransition(tx, pairingId, action, options.reason ?? null, expected));
    },
    async setGoals(
      persona: PairingPersona | "anonymous",
      pairingId: string,
      goals: GoalsInput = {},
      options: { expectedVersion?: number | null } = {},
    ) {
      const expected = options.expectedVersion === undefined ? (await pairing(pairingId)).version : options.expectedVersion;
      return as(persona, (tx) =>
        callSetGoals(
          tx,
          pairingId,
          {
            term: goals.term === undefined ? DEFAULT_GOALS.term : goals.term,
            jointLessonsPlanned: goals.jointLessonsPlanned === undefined ? DEFAULT_GOALS.jointLessonsPlanned : goals.jointLessonsPlanned,
            subjects: goals.subjects === undefined ? DEFAULT_GOALS.subjects : goals.subjects,
          },
          expected,
        ),
      );
    },
    /** A pairing of A (proposing) and B in `status`, reached through the functions. */
    async pairingIn(status: PairingStatus, input: ProposalInput = {}) {
      const path = PATHS[status];
      const id = await world.propose(path.start, input);
      for (const [persona, action, reason] of path.steps) await world.transition(persona, id, action, { reason: reason ?? null });
      return pairing(id);
    },
    pairing,
    /** The pairing's activity log, oldest first, as the owner reads it. */
    async events(pairingId: string) {
      const rows = await handle.query<EventRow>(
        "select kind, actor_id, reason, data from public.pairing_events where pairing_id = $1 order by created_at, id",
        [pairingId],
      );
      return rows.map((r) => ({ ...r, actor_id: label(r.actor_id) }));
    },
    /** Every notification of this world's users, as `persona: kind`, sorted. */
    async notifications(pairingId?: string) {
      const rows = await handle.query<{ user_id: string; kind: string }>(
        `select user_id, kind from public.notifications
         where user_id = any($1::uuid[]) and ($2::uuid is null or pairing_id = $2::uuid)`,
        [PAIRING_PERSONAS.map((p) => users[p].id), pairingId ?? null],
      );
      return rows.map((r) => `${label(r.user_id)}: ${r.kind}`).sort();
    },
  };
  return world;
}

export type PairingWorld = Awaited<ReturnType<typeof createPairingWorld>>;

import { describe, expect, it } from "vitest";
import { PAIRING_ERROR_CODES as E, OPEN_PAIRING_UNIQUE_INDEX } from "../../app/pairings/errors";
import { testDbTarget } from "../support/database";
import { setupTestDatabase } from "../support/db-suite";
import {
  callPropose,
  callTransition,
  createPairingWorld,
  DEFAULT_GOALS,
  type PairingPersona,
  type PairingWorld,
} from "../support/pairing-world";
import { expectPgError } from "../support/pg-error";

const database = setupTestDatabase();
const owner = (text: string, params: unknown[] = []) => database.handle.query(text, params);

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sessions of this test database waiting for a lock while running `fn`. */
const waitingOnLock = async (fn: string) => {
  const [{ count }] = await database.handle.query<{ count: number }>(
    `select count(*)::int as count from pg_stat_activity
     where datname = current_database() and wait_event_type = 'Lock' and query like $1`,
    [`%${fn}%`],
  );
  return count;
};

/**
 * Runs `first` in a transaction that stays open until a second session, running `second`,
 * is blocked behind it on a lock: two truly concurrent transactions on PostgreSQL.
 */
async function overlapping<A, B>(
  w: PairingWorld,
  first: [PairingPersona, Parameters<PairingWorld["as"]>[1]],
  second: [PairingPersona, Parameters<PairingWorld["as"]>[1]],
  fn: string,
): Promise<[PromiseSettledResult<A>, PromiseSettledResult<B>]> {
  let holding!: () => void;
  let release!: () => void;
  const holds = new Promise<void>((resolve) => (holding = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const firstDone = w.as(first[0], async (tx) => {
    const result = await first[1](tx);
    holding();
    await released;
    return result as A;
  });
  await Promise.race([holds, firstDone]);
  const secondDone = w.as(second[0], async (tx) => (await second[1](tx)) as B);
  const settled = Promise.allSettled([firstDone, secondDone]);
  await waitUntil(async () => (await waitingOnLock(fn)) === 1, `the second ${fn} waits for the first`);
  release();
  return settled;
}

describe("two people acting at once", () => {
  it("two coordinators of B's region decide the same proposal: one wins, the other hears someone acted first", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("proposed");
    const accept = (tx: Parameters<Parameters<PairingWorld["as"]>[1]>[0]) => callTransition(tx, p.id, "accept", null, 1);
    const decline = (tx: Parameters<Parameters<PairingWorld["as"]>[1]>[0]) => callTransition(tx, p.id, "decline", "名额已满", 1);

    let outcomes: PromiseSettledResult<number>[];
    if (testDbTarget === "postgres") {
      outcomes = await overlapping<number, number>(w, ["coordinatorY", accept], ["coordinatorY2", decline], "transition_pairing");
    } else {
      // PGlite has one connection: the two transactions can only run one after the other.
      outcomes = await Promise.allSettled([w.as("coordinatorY", accept), w.as("coordinatorY2", decline)]);
    }

    expect(outcomes[0]).toEqual({ status: "fulfilled", value: 2 });
    expect(outcomes[1].status).toBe("rejected");
    await expectPgError(
      Promise.reject((outcomes[1] as PromiseRejectedResult).reason),
      E.staleVersion,
      `pairing ${p.id} changed: version 1 expected, 2 found`,
    );
    expect(await w.pairing(p.id)).toMatchObject({ status: "active", version: 2, decided_by: w.users.coordinatorY.id });
    expect((await w.events(p.id)).map((e) => `${e.kind} by ${e.actor_id}`)).toEqual([
      "proposed by coordinatorX",
      "accepted by coordinatorY",
    ]);
    expect(await w.notifications(p.id)).not.toContain("coordinatorX: pairing_declined");
  });

  it("the two sides propose the same pairing at once: one wins, the other finds it already open", async () => {
    const w = await createPairingWorld(database.handle);
    const propose = (a: string, b: string) => (tx: Parameters<Parameters<PairingWorld["as"]>[1]>[0]) =>
      callPropose(tx, { schoolA: a, schoolB: b, ...DEFAULT_GOALS, note: null });
    const fromA = propose(w.schoolA.id, w.schoolB.id);
    const fromB = propose(w.schoolB.id, w.schoolA.id);

    let outcomes: PromiseSettledResult<string>[];
    if (testDbTarget === "postgres") {
      outcomes = await overlapping<string, string>(w, ["coordinatorX", fromA], ["coordinatorY", fromB], "propose_pairing");
    } else {
      outcomes = await Promise.allSettled([w.as("coordinatorX", fromA), w.as("coordinatorY", fromB)]);
    }

    expect(outcomes[0].status).toBe("fulfilled");
    await expectPgError(
      Promise.reject((outcomes[1] as PromiseRejectedResult).reason),
      E.duplicate,
      `duplicate key value violates unique constraint "${OPEN_PAIRING_UNIQUE_INDEX}"`,
    );
    const rows = await owner("select school_a_id from public.pairings where school_b_id = any($1::uuid[])", [[w.schoolA.id, w.schoolB.id]]);
    expect(rows).toEqual([{ school_a_id: w.schoolA.id }]);
  });
});

describe("terminal pairings are read-only, even for the database owner", () => {
  it.each(["ended", "declined", "withdrawn"] as const)("%s", async (status) => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn(status);
    const readOnly = `pairing ${p.id} is ${status} and read-only`;
    const writes: [string, unknown[]][] = [
      ["update public.pairings set decision_reason = 'rewritten' where id = $1", [p.id]],
      ["update public.pairings set updated_at = now() where id = $1", [p.id]],
      ["delete from public.pairings where id = $1", [p.id]],
      [
        "insert into public.pairing_goals (pairing_id, term, joint_lessons_planned, subjects) values ($1, '2027-2028-1', 4, '{art}')",
        [p.id],
      ],
      ["update public.pairing_goals set joint_lessons_planned = 99 where pairing_id = $1", [p.id]],
      ["delete from public.pairing_goals where pairing_id = $1", [p.id]],
      ["insert into public.pairing_events (pairing_id, kind, actor_id) values ($1, 'resumed', $2)", [p.id, w.users.coordinatorX.id]],
    ];
    for (const [text, params] of writes) await expectPgError(owner(text, params), E.illegalTransition, readOnly);
    const after = await w.pairing(p.id);
    expect(after).toEqual(p);
    expect(await owner("select joint_lessons_planned from public.pairing_goals where pairing_id = $1", [p.id])).toEqual([
      { joint_lessons_planned: 8 },
    ]);
  });

  it("an open pairing is still the owner's to correct", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("active");
    await owner("update public.pairings set decision_reason = 'corrected' where id = $1", [p.id]);
    await owner("update public.pairing_goals set joint_lessons_planned = 9 where pairing_id = $1", [p.id]);
    expect((await w.pairing(p.id)).decision_reason).toBe("corrected");
  });
});

describe("the activity log is append-only, even for the database owner", () => {
  it.each(["active", "ended"] as const)("the events of an %s pairing can be neither changed nor removed", async (status) => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn(status);
    const before = await w.events(p.id);
    await expectPgError(
      owner("update public.pairing_events set reason = 'rewritten' where pairing_id = $1", [p.id]),
      E.appendOnly,
      "pairing events are append-only: update refused",
    );
    await expectPgError(
      owner("delete from public.pairing_events where pairing_id = $1", [p.id]),
      E.appendOnly,
      "pairing events are append-only: delete refused",
    );
    await expectPgError(owner("truncate public.pairing_events"), E.appendOnly, "pairing events are append-only: truncate refused");
    await expectPgError(owner("truncate public.pairings cascade"), E.appendOnly, "pairing events are append-only: truncate refused");
    expect(await w.events(p.id)).toEqual(before);
  });

  it("a pairing with a history cannot be deleted from under it", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("proposed");
    await expectPgError(
      owner("delete from public.pairings where id = $1", [p.id]),
      "23503",
      'update or delete on table "pairings" violates foreign key constraint "pairing_events_pairing_id_pairings_id_fk" on table "pairing_events"',
    );
  });

  it("an account that acted on a pairing cannot be deleted (deactivate it instead)", async () => {
    const w = await createPairingWorld(database.handle);
    await w.pairingIn("proposed");
    await expectPgError(
      owner("delete from auth.users where id = $1", [w.users.coordinatorX.id]),
      "23503",
      /^update or delete on table "profiles" violates foreign key constraint "(pairings_proposed_by|pairing_events_actor_id)_profiles_id_fk"/,
    );
  });
});

describe("rules that hold for every writer", () => {
  it("the owner cannot pair two schools of one region either", async () => {
    const w = await createPairingWorld(database.handle);
    const regions = "the two schools of a pairing must be in different regions";
    await expectPgError(
      owner("insert into public.pairings (school_a_id, school_b_id, status, proposed_by) values ($1, $2, 'proposed', $3)", [
        w.schoolA.id,
        w.schoolC.id,
        w.users.coordinatorX.id,
      ]),
      E.sameRegion,
      regions,
    );
    const p = await w.pairingIn("proposed");
    await expectPgError(owner("update public.pairings set school_b_id = $2 where id = $1", [p.id, w.schoolC.id]), E.sameRegion, regions);
  });

  it("the dates follow the status", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("proposed");
    const check = 'new row for relation "pairings" violates check constraint "pairings_lifecycle_check"';
    await expectPgError(owner("update public.pairings set status = 'active', decided_at = now() where id = $1", [p.id]), "23514", check);
    await expectPgError(owner("update public.pairings set decided_at = now() where id = $1", [p.id]), "23514", check);
    await owner("update public.pairings set status = 'active', decided_at = now(), started_at = now() where id = $1", [p.id]);
    expect((await w.pairing(p.id)).status).toBe("active");
  });
});

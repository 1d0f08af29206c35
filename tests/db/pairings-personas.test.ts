import { eq, getTableName, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, PAIRING_EVENT_KINDS, PAIRING_STATUSES, SUBJECTS } from "../../app/db/enums";
import { notifications, pairingEvents, pairingGoals, pairings } from "../../app/db/schema";
import { refusalKeyOf } from "../../app/db/refusals";
import { PAIRING_ERROR_CODES } from "../../app/pairings/errors";

const pairingErrorKey = (code: string | undefined) => refusalKeyOf(code, "pairings");
import { setupTestDatabase } from "../support/db-suite";
import { createPairingWorld, PAIRING_PERSONAS, type PairingPersona, type PairingWorld } from "../support/pairing-world";
import { expectPgError, permissionDenied } from "../support/pg-error";

const database = setupTestDatabase();

/**
 * Two pairings: A (region X) with B (region Y), active; C (region X) with D (region Z),
 * proposed by X's coordinator. Named pairingAB and pairingCD in assertions.
 */
async function createWorld() {
  const w = await createPairingWorld(database.handle);
  const ab = await w.pairingIn("active");
  const cd = await w.propose("coordinatorX", { schoolA: w.schoolC.id, schoolB: w.schoolD.id });
  w.nameOf(ab.id, "pairingAB");
  w.nameOf(cd, "pairingCD");
  return { w, ab: ab.id, cd, both: [ab.id, cd] };
}

const AB = ["pairingAB"];
const CD = ["pairingCD"];
const VISIBLE: Record<PairingPersona, string[]> = {
  stranger: [],
  teacherA: AB,
  adminA: AB,
  teacherB: AB,
  adminB: AB,
  teacherC: CD,
  coordinatorX: [...AB, ...CD],
  coordinatorY: AB,
  coordinatorY2: AB,
  coordinatorZ: CD,
  platformAdmin: [...AB, ...CD],
};

const distinctLabels = (w: PairingWorld, ids: string[]) => [...new Set(ids.map((id) => w.label(id)))].sort();

describe("who reads pairings, their goals and their activity", () => {
  it.each(PAIRING_PERSONAS)("%s", async (persona) => {
    const { w, both } = await createWorld();
    const seen = await w.as(persona, async (tx) => ({
      pairings: (await tx.select({ id: pairings.id }).from(pairings).where(inArray(pairings.id, both))).map((r) => r.id),
      goals: (await tx.select({ id: pairingGoals.pairingId }).from(pairingGoals).where(inArray(pairingGoals.pairingId, both))).map(
        (r) => r.id,
      ),
      events: (await tx.select({ id: pairingEvents.pairingId }).from(pairingEvents).where(inArray(pairingEvents.pairingId, both))).map(
        (r) => r.id,
      ),
    }));
    expect(distinctLabels(w, seen.pairings)).toEqual(VISIBLE[persona]);
    expect(distinctLabels(w, seen.goals)).toEqual(VISIBLE[persona]);
    expect(distinctLabels(w, seen.events)).toEqual(VISIBLE[persona]);
    // All of a visible pairing's activity, not a part of it.
    const [{ count }] = await database.handle.query<{ count: number }>(
      "select count(*)::int as count from public.pairing_events where pairing_id = any($1::uuid[])",
      [seen.pairings],
    );
    expect(seen.events).toHaveLength(count);
  });

  it.each([pairings, pairingGoals, pairingEvents, notifications].map((t) => [getTableName(t), t] as const))(
    "anonymous cannot read %s",
    async (name, table) => {
      const { w } = await createWorld();
      await expectPgError(
        w.as("anonymous", (tx) => tx.select().from(table)),
        "42501",
        permissionDenied(name),
      );
    },
  );
});

describe("nobody writes pairings, goals or events directly, whatever their role", () => {
  it.each(["anonymous", ...PAIRING_PERSONAS] as const)("%s", async (persona) => {
    const { w, ab } = await createWorld();
    const before = await w.pairing(ab);
    const attempts: [string, Parameters<PairingWorld["as"]>[1]][] = [
      [
        "pairings",
        (tx) =>
          tx
            .insert(pairings)
            .values({ schoolAId: w.schoolA.id, schoolBId: w.schoolD.id, status: "active", proposedBy: w.users.coordinatorX.id }),
      ],
      ["pairings", (tx) => tx.update(pairings).set({ status: "ended" }).where(eq(pairings.id, ab))],
      ["pairings", (tx) => tx.update(pairings).set({ version: 1 }).where(eq(pairings.id, ab))],
      ["pairings", (tx) => tx.delete(pairings).where(eq(pairings.id, ab))],
      [
        "pairing_goals",
        (tx) => tx.insert(pairingGoals).values({ pairingId: ab, term: "2027-2028-1", jointLessonsPlanned: 1, subjects: ["art"] }),
      ],
      ["pairing_goals", (tx) => tx.update(pairingGoals).set({ jointLessonsPlanned: 99 }).where(eq(pairingGoals.pairingId, ab))],
      ["pairing_goals", (tx) => tx.delete(pairingGoals).where(eq(pairingGoals.pairingId, ab))],
      ["pairing_events", (tx) => tx.insert(pairingEvents).values({ pairingId: ab, kind: "ended", actorId: w.users.coordinatorX.id })],
      ["pairing_events", (tx) => tx.update(pairingEvents).set({ reason: "改写历史" }).where(eq(pairingEvents.pairingId, ab))],
      ["pairing_events", (tx) => tx.delete(pairingEvents).where(eq(pairingEvents.pairingId, ab))],
    ];
    for (const [table, attempt] of attempts) {
      await expectPgError(w.as(persona, attempt), "42501", permissionDenied(table));
    }
    expect(await w.pairing(ab)).toEqual(before);
    expect(await w.events(ab)).toHaveLength(2);
    expect(await database.handle.query("select joint_lessons_planned from public.pairing_goals where pairing_id = $1", [ab])).toEqual([
      { joint_lessons_planned: 8 },
    ]);
  });
});

describe("notifications", () => {
  const ownerNotifications = (userId: string) =>
    database.handle.query<{ id: string; kind: string; read_at: string | Date | null }>(
      "select id, kind, read_at from public.notifications where user_id = $1 order by kind",
      [userId],
    );

  it.each(PAIRING_PERSONAS)("%s reads exactly their own", async (persona) => {
    const { w } = await createWorld();
    const mine = await ownerNotifications(w.users[persona].id);
    const seen = await w.as(persona, (tx) => tx.select({ id: notifications.id, userId: notifications.userId }).from(notifications));
    expect(seen.map((n) => n.id).sort()).toEqual(mine.map((n) => n.id).sort());
    expect(new Set(seen.map((n) => w.label(n.userId)))).toEqual(new Set(mine.length ? [persona] : []));
  });

  it("the world above gives several people notifications to read", async () => {
    const { w } = await createWorld();
    expect(await w.notifications()).toEqual([
      "adminA: pairing_accepted",
      "adminB: pairing_accepted",
      "coordinatorX: pairing_accepted",
      "coordinatorY2: pairing_proposed",
      "coordinatorY: pairing_proposed",
      "coordinatorZ: pairing_proposed",
    ]);
  });

  it("a user marks their own as read, and only read_at changes", async () => {
    const { w } = await createWorld();
    const [mine] = await ownerNotifications(w.users.coordinatorY.id);
    const readAt = new Date("2026-11-30T08:00:00Z");
    const marked = await w.as("coordinatorY", (tx) =>
      tx.update(notifications).set({ readAt }).where(eq(notifications.id, mine.id)).returning(),
    );
    expect(marked).toMatchObject([{ id: mine.id, kind: "pairing_proposed", readAt }]);
    const unread = await w.as("coordinatorY", (tx) =>
      tx.update(notifications).set({ readAt: null }).where(eq(notifications.id, mine.id)).returning(),
    );
    expect(unread).toMatchObject([{ readAt: null }]);
  });

  it("a user can neither see nor mark someone else's", async () => {
    const { w } = await createWorld();
    const [theirs] = await ownerNotifications(w.users.coordinatorX.id);
    for (const persona of ["coordinatorY", "adminA", "platformAdmin"] as const) {
      const seen = await w.as(persona, (tx) => tx.select().from(notifications).where(eq(notifications.id, theirs.id)));
      const marked = await w.as(persona, (tx) =>
        tx.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, theirs.id)).returning(),
      );
      expect([seen.length, marked.length]).toEqual([0, 0]);
    }
    expect((await ownerNotifications(w.users.coordinatorX.id))[0].read_at).toBeNull();
  });

  it("a user cannot change anything but read_at, nor add or remove notifications", async () => {
    const { w, cd } = await createWorld();
    const [mine] = await ownerNotifications(w.users.coordinatorY.id);
    const own = eq(notifications.id, mine.id);
    const attempts: Parameters<PairingWorld["as"]>[1][] = [
      (tx) => tx.update(notifications).set({ kind: "pairing_ended" }).where(own),
      (tx) =>
        tx
          .update(notifications)
          .set({ data: { forged: true } })
          .where(own),
      (tx) => tx.update(notifications).set({ userId: w.users.coordinatorX.id }).where(own),
      (tx) => tx.update(notifications).set({ pairingId: cd }).where(own),
      (tx) =>
        tx
          .update(notifications)
          .set({ createdAt: new Date(0) })
          .where(own),
      (tx) => tx.insert(notifications).values({ userId: w.users.coordinatorX.id, kind: "pairing_accepted" }),
      (tx) => tx.insert(notifications).values({ userId: w.users.coordinatorY.id, kind: "pairing_accepted" }),
      (tx) => tx.delete(notifications).where(own),
    ];
    for (const attempt of attempts) {
      await expectPgError(w.as("coordinatorY", attempt), "42501", permissionDenied("notifications"));
    }
    expect(await ownerNotifications(w.users.coordinatorY.id)).toEqual([mine]);
  });

  it("anonymous cannot mark anything as read", async () => {
    const { w } = await createWorld();
    await expectPgError(
      w.as("anonymous", (tx) => tx.update(notifications).set({ readAt: new Date() })),
      "42501",
      permissionDenied("notifications"),
    );
  });
});

describe("grants, functions and shared names", () => {
  const query = <T>(text: string, params: unknown[] = []) => database.handle.query<T>(text, params);

  it("authenticated may only read pairings, goals and events, and read and mark its notifications", async () => {
    const privileges = await query<{ name: string; privileges: string[] }>(
      `select t.name, array(
         select p from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p
         where has_table_privilege('authenticated', 'public.' || t.name, p)
       ) as privileges
       from unnest(array['pairings', 'pairing_goals', 'pairing_events', 'notifications']) t(name) order by 1`,
    );
    expect(privileges).toEqual([
      { name: "notifications", privileges: ["SELECT"] },
      { name: "pairing_events", privileges: ["SELECT"] },
      { name: "pairing_goals", privileges: ["SELECT"] },
      { name: "pairings", privileges: ["SELECT"] },
    ]);
    const updatable = await query<{ column: string }>(
      `select column_name as column from information_schema.columns
       where table_schema = 'public' and table_name = 'notifications'
         and has_column_privilege('authenticated', 'public.notifications', column_name, 'UPDATE')`,
    );
    expect(updatable).toEqual([{ column: "read_at" }]);
  });

  it("the policies, named as sentences, all for authenticated", async () => {
    const policies = await query<{ table: string; policy: string; command: string; roles: string }>(
      `select tablename as table, policyname as policy, cmd as command, array_to_string(roles, ',') as roles
       from pg_policies where schemaname = 'public'
         and tablename in ('pairings', 'pairing_goals', 'pairing_events', 'notifications')
       order by 1, 3`,
    );
    expect(policies).toEqual([
      { table: "notifications", policy: "Users can read their own notifications", command: "SELECT", roles: "authenticated" },
      {
        table: "notifications",
        policy: "Users can mark their own notifications as read",
        command: "UPDATE",
        roles: "authenticated",
      },
      {
        table: "pairing_events",
        policy: "Whoever can read the pairing can read its activity",
        command: "SELECT",
        roles: "authenticated",
      },
      {
        table: "pairing_goals",
        policy: "Whoever can read the pairing can read its goals",
        command: "SELECT",
        roles: "authenticated",
      },
      {
        table: "pairings",
        policy: "Members and coordinators of both sides can read the pairing",
        command: "SELECT",
        roles: "authenticated",
      },
    ]);
  });

  it("the transition functions are security definer, with an empty search_path, executable by authenticated only", async () => {
    const functions = await query<{ signature: string; definer: boolean; config: string[]; grantees: string[] }>(
      `select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as signature,
              p.prosecdef as definer, p.proconfig as config,
              array(select coalesce(r.rolname, 'PUBLIC') from aclexplode(p.proacl) a
                    left join pg_roles r on r.oid = a.grantee
                    where a.privilege_type = 'EXECUTE' and a.grantee <> p.proowner order by 1) as grantees
       from pg_proc p
       where p.pronamespace = 'public'::regnamespace
         and p.proname in ('propose_pairing', 'transition_pairing', 'set_pairing_goals')
       order by 1`,
    );
    const expected = { definer: true, config: ['search_path=""'], grantees: ["authenticated"] };
    expect(functions).toEqual([
      {
        signature:
          "propose_pairing(school_a_id uuid, school_b_id uuid, term text, joint_lessons_planned integer, subjects text[], note text)",
        ...expected,
      },
      {
        signature:
          "set_pairing_goals(pairing_id uuid, term text, joint_lessons_planned integer, subjects text[], expected_version integer)",
        ...expected,
      },
      { signature: "transition_pairing(pairing_id uuid, action text, reason text, expected_version integer)", ...expected },
    ]);
  });

  it("the value sets of app/db/enums.ts are the ones the checks accept", async () => {
    const values = async (constraint: string) => {
      const [{ definition }] = await query<{ definition: string }>(
        "select pg_get_constraintdef(oid) as definition from pg_constraint where conname = $1",
        [constraint],
      );
      return [...definition.matchAll(/'([^']+)'::text/g)].map((m) => m[1]).sort();
    };
    expect(await values("pairings_status_check")).toEqual([...PAIRING_STATUSES].sort());
    expect(await values("pairing_events_kind_check")).toEqual([...PAIRING_EVENT_KINDS].sort());
    expect(await values("notifications_kind_check")).toEqual([...NOTIFICATION_KINDS].sort());
    expect(await values("pairing_goals_subjects_check")).toEqual([...SUBJECTS].sort());
  });

  it("the functions raise exactly the codes app/pairings/errors.ts names, and app/db/refusals.ts words each", async () => {
    const sources = await query<{ source: string }>(
      `select prosrc as source from pg_proc
       where (pronamespace = 'public'::regnamespace and proname in ('propose_pairing', 'transition_pairing', 'set_pairing_goals'))
          or (pronamespace = 'private'::regnamespace and proname in ('guard_pairing_write', 'guard_pairing_detail_write', 'refuse_pairing_event_change'))`,
    );
    expect(sources).toHaveLength(6);
    const raised = new Set(sources.flatMap((s) => [...s.source.matchAll(/errcode = '([0-9A-Z]{5})'/g)].map((m) => m[1])));
    // 23505 comes from the unique index, not from a raise.
    const named = Object.values(PAIRING_ERROR_CODES).filter((code) => code !== PAIRING_ERROR_CODES.duplicate);
    expect([...raised].sort()).toEqual([...named].sort());

    const keys = Object.values(PAIRING_ERROR_CODES).map((code) => pairingErrorKey(code));
    expect(keys.every((key) => key?.startsWith("pairings:errors."))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(pairingErrorKey(PAIRING_ERROR_CODES.staleVersion)).toBe("pairings:errors.conflict");
    expect([pairingErrorKey("22P02"), pairingErrorKey(undefined), pairingErrorKey("toString")]).toEqual([undefined, undefined, undefined]);
  });
});

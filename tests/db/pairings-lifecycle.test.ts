import { describe, expect, it } from "vitest";
import { PAIRING_ACTIONS, PAIRING_STATUSES, SUBJECTS, type PairingAction, type PairingStatus } from "../../app/db/enums";
import { OPEN_PAIRING_UNIQUE_INDEX, PAIRING_ERROR_CODES as E } from "../../app/pairings/errors";
import { setupTestDatabase } from "../support/db-suite";
import { createPairingWorld, PAIRING_PERSONAS, type PairingPersona, type PairingWorld } from "../support/pairing-world";
import { expectPgError } from "../support/pg-error";

const database = setupTestDatabase();

/** The legal transitions: state × action → new state, and who may take them. */
const LEGAL: Record<string, { to: PairingStatus; who: PairingPersona[] }> = {
  "requested:forward": { to: "proposed", who: ["coordinatorX"] },
  "requested:decline": { to: "declined", who: ["coordinatorX"] },
  "requested:withdraw": { to: "withdrawn", who: ["adminA", "coordinatorX"] },
  "proposed:accept": { to: "active", who: ["coordinatorY", "coordinatorY2"] },
  "proposed:decline": { to: "declined", who: ["coordinatorY", "coordinatorY2"] },
  "proposed:withdraw": { to: "withdrawn", who: ["adminA", "coordinatorX"] },
  "active:pause": { to: "paused", who: ["coordinatorX", "coordinatorY", "coordinatorY2"] },
  "active:end": { to: "ended", who: ["coordinatorX", "coordinatorY", "coordinatorY2"] },
  "paused:resume": { to: "active", who: ["coordinatorX", "coordinatorY", "coordinatorY2"] },
  "paused:end": { to: "ended", who: ["coordinatorX", "coordinatorY", "coordinatorY2"] },
};
const NEEDS_REASON = new Set<PairingAction>(["decline", "pause", "end"]);
const reasonFor = (action: PairingAction) => (NEEDS_REASON.has(action) ? `因为要${action}` : null);

/** Those who may take some action on an A–B pairing; everyone else is turned away first. */
const PARTIES = new Set<PairingPersona>(["adminA", "coordinatorX", "coordinatorY", "coordinatorY2"]);

async function unchanged(w: PairingWorld, id: string, before: { status: string; version: number; events: number }) {
  const after = await w.pairing(id);
  expect({ status: after.status, version: after.version, events: (await w.events(id)).length }).toEqual(before);
}

async function snapshot(w: PairingWorld, id: string) {
  const p = await w.pairing(id);
  return { status: p.status, version: p.version, events: (await w.events(id)).length };
}

describe("every state × action, taken by someone entitled to the state's actions", () => {
  const cases = PAIRING_STATUSES.flatMap((status) => PAIRING_ACTIONS.map((action) => [status, action] as const));

  it.each(cases)("%s → %s", async (status, action) => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn(status);
    const legal = LEGAL[`${status}:${action}`];
    if (!legal) {
      const before = await snapshot(w, p.id);
      for (const persona of ["coordinatorX", "coordinatorY"] as const) {
        await expectPgError(
          w.transition(persona, p.id, action, { reason: "理由" }),
          E.illegalTransition,
          `cannot ${action} a ${status} pairing`,
        );
      }
      await unchanged(w, p.id, before);
      return;
    }
    const version = await w.transition(legal.who[0], p.id, action, { reason: reasonFor(action) });
    const after = await w.pairing(p.id);
    expect({ status: after.status, version: after.version }).toEqual({ status: legal.to, version: p.version + 1 });
    expect(version).toBe(p.version + 1);
    const events = await w.events(p.id);
    expect(events.at(-1)).toEqual({
      kind: {
        forward: "forwarded",
        accept: "accepted",
        decline: "declined",
        withdraw: "withdrawn",
        pause: "paused",
        resume: "resumed",
        end: "ended",
      }[action],
      actor_id: legal.who[0],
      reason: reasonFor(action),
      data: { from: status, to: legal.to, version: p.version + 1 },
    });
  });
});

describe("who may take each legal transition", () => {
  const cases = Object.entries(LEGAL).flatMap(([key, { who }]) =>
    (["anonymous", ...PAIRING_PERSONAS] as const).map(
      (persona) => [key, persona, persona !== "anonymous" && who.includes(persona)] as const,
    ),
  );

  it.each(cases)("%s by %s: allowed %s", async (key, persona, allowed) => {
    const [status, action] = key.split(":") as [PairingStatus, PairingAction];
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn(status);
    const before = await snapshot(w, p.id);
    const attempt = w.transition(persona, p.id, action, { reason: reasonFor(action) });
    if (allowed) {
      expect(await attempt).toBe(p.version + 1);
      expect((await w.pairing(p.id)).status).toBe(LEGAL[key].to);
      return;
    }
    if (persona === "anonymous") {
      await expectPgError(attempt, "42501", "permission denied for function transition_pairing");
    } else if (PARTIES.has(persona)) {
      await expectPgError(attempt, E.notAllowed, `not allowed to ${action} this pairing`);
    } else {
      await expectPgError(attempt, E.notAllowed, "not allowed to act on this pairing");
    }
    await unchanged(w, p.id, before);
  });
});

describe("the rules of each transition", () => {
  it("only the other side decides: school A's own coordinator can neither accept nor decline the proposal", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("proposed");
    await expectPgError(
      w.transition("coordinatorX", p.id, "decline", { reason: "算了" }),
      E.notAllowed,
      "not allowed to decline this pairing",
    );
    await expectPgError(w.transition("coordinatorX", p.id, "accept"), E.notAllowed, "not allowed to accept this pairing");
    await expectPgError(w.transition("adminA", p.id, "accept"), E.notAllowed, "not allowed to accept this pairing");
    expect((await w.pairing(p.id)).status).toBe("proposed");
  });

  it("school B's coordinator cannot decide a request that school A's coordinator has not forwarded", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("requested");
    await expectPgError(w.transition("coordinatorY", p.id, "accept"), E.illegalTransition, "cannot accept a requested pairing");
    await expectPgError(
      w.transition("coordinatorY", p.id, "decline", { reason: "不合适" }),
      E.notAllowed,
      "not allowed to decline this pairing",
    );
    await expectPgError(w.transition("coordinatorY", p.id, "forward"), E.notAllowed, "not allowed to forward this pairing");
  });

  it.each([
    ["requested", "decline"],
    ["proposed", "decline"],
    ["active", "pause"],
    ["active", "end"],
    ["paused", "end"],
  ] as const)("a %s pairing cannot %s without a reason", async (status, action) => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn(status);
    const actor = LEGAL[`${status}:${action}`].who[0];
    const before = await snapshot(w, p.id);
    for (const reason of [null, "", "   \n", "\u3000\u3000"]) {
      await expectPgError(w.transition(actor, p.id, action, { reason }), E.reasonRequired, `a reason is required to ${action} a pairing`);
    }
    await unchanged(w, p.id, before);
    await w.transition(actor, p.id, action, { reason: "\u3000两校课时安排冲突 \n" });
    expect((await w.events(p.id)).at(-1)?.reason).toBe("两校课时安排冲突");
  });

  it.each([
    ["requested", "forward"],
    ["requested", "withdraw"],
    ["proposed", "accept"],
    ["proposed", "withdraw"],
    ["paused", "resume"],
  ] as const)("a %s pairing can %s without a reason, and a given one is kept", async (status, action) => {
    const actor = LEGAL[`${status}:${action}`].who[0];
    for (const reason of [null, "双方已电话沟通"]) {
      const w = await createPairingWorld(database.handle);
      const p = await w.pairingIn(status);
      await w.transition(actor, p.id, action, { reason });
      expect((await w.events(p.id)).at(-1)?.reason).toBe(reason);
    }
  });

  it("a reason longer than 2000 characters is refused", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("active");
    await expectPgError(
      w.transition("coordinatorX", p.id, "pause", { reason: "长".repeat(2001) }),
      E.invalidInput,
      "the reason is longer than 2000 characters",
    );
    expect(await w.transition("coordinatorX", p.id, "pause", { reason: "长".repeat(2000) })).toBe(p.version + 1);
  });

  it("an unknown action, a missing version or a stale version changes nothing", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("proposed");
    const before = await snapshot(w, p.id);
    await expectPgError(w.transition("coordinatorY", p.id, "approve"), E.invalidInput, "unknown pairing action approve");
    await expectPgError(w.transition("coordinatorY", p.id, null), E.invalidInput, "unknown pairing action null");
    await expectPgError(
      w.transition("coordinatorY", p.id, "accept", { expectedVersion: null }),
      E.invalidInput,
      "expected_version is required",
    );
    await expectPgError(
      w.transition("coordinatorY", p.id, "accept", { expectedVersion: 7 }),
      E.staleVersion,
      `pairing ${p.id} changed: version 7 expected, 1 found`,
    );
    await unchanged(w, p.id, before);
  });

  it("a stale version is reported as such even when the action has become illegal meanwhile", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("proposed");
    await w.transition("coordinatorY", p.id, "accept", { expectedVersion: 1 });
    await expectPgError(
      w.transition("coordinatorY2", p.id, "decline", { reason: "不同意", expectedVersion: 1 }),
      E.staleVersion,
      `pairing ${p.id} changed: version 1 expected, 2 found`,
    );
  });

  it("a pairing that does not exist is refused like one the caller may not touch", async () => {
    const w = await createPairingWorld(database.handle);
    await expectPgError(
      w.transition("coordinatorX", "00000000-0000-4000-8000-000000000000", "pause", { reason: "x", expectedVersion: 1 }),
      E.notAllowed,
      "not allowed to act on this pairing",
    );
  });

  it("records who decided, when, and the dates of the pairing", async () => {
    const w = await createPairingWorld(database.handle);
    const proposed = await w.pairingIn("proposed");
    expect(proposed).toMatchObject({
      status: "proposed",
      version: 1,
      decided_by: null,
      decided_at: null,
      started_at: null,
      ended_at: null,
    });
    expect(w.label(proposed.proposed_by)).toBe("coordinatorX");

    await w.transition("coordinatorY", proposed.id, "accept", { reason: "欢迎" });
    const active = await w.pairing(proposed.id);
    expect(w.label(active.decided_by)).toBe("coordinatorY");
    expect(active.decision_reason).toBe("欢迎");
    expect(active.started_at).toEqual(active.decided_at);
    expect(active.ended_at).toBeNull();

    await w.transition("coordinatorX", proposed.id, "pause", { reason: "寒假" });
    await w.transition("coordinatorY", proposed.id, "resume");
    await w.transition("coordinatorX", proposed.id, "end", { reason: "学年结束" });
    const ended = await w.pairing(proposed.id);
    expect(ended).toMatchObject({ status: "ended", version: 5, decision_reason: "欢迎", started_at: active.started_at });
    expect(ended.ended_at!.getTime()).toBeGreaterThan(active.started_at!.getTime());
    expect((await w.events(proposed.id)).map((e) => `${e.kind} by ${e.actor_id}: ${e.reason}`)).toEqual([
      "proposed by coordinatorX: null",
      "accepted by coordinatorY: 欢迎",
      "paused by coordinatorX: 寒假",
      "resumed by coordinatorY: null",
      "ended by coordinatorX: 学年结束",
    ]);
  });

  it("a declined proposal keeps the decline and its reason", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("proposed");
    await w.transition("coordinatorY2", p.id, "decline", { reason: "本学期已有结对" });
    expect(await w.pairing(p.id)).toMatchObject({ status: "declined", decision_reason: "本学期已有结对", started_at: null });
    expect(w.label((await w.pairing(p.id)).decided_by)).toBe("coordinatorY2");
  });
});

describe("proposing", () => {
  it.each([
    ["coordinatorX", "schoolA", "schoolB", "proposed"],
    ["adminA", "schoolA", "schoolB", "requested"],
    ["coordinatorY", "schoolB", "schoolA", "proposed"],
    ["adminB", "schoolB", "schoolA", "requested"],
  ] as const)("%s proposes %s with %s: %s", async (persona, a, b, status) => {
    const w = await createPairingWorld(database.handle);
    const id = await w.propose(persona, { schoolA: w[a].id, schoolB: w[b].id, note: " 希望共同备课 " });
    expect(await w.pairing(id)).toMatchObject({
      school_a_id: w[a].id,
      school_b_id: w[b].id,
      status,
      version: 1,
      proposed_by: w.users[persona].id,
    });
    expect(await w.events(id)).toEqual([
      {
        kind: status,
        actor_id: persona,
        reason: "希望共同备课",
        data: { status, term: "2026-2027-1", joint_lessons_planned: 8, subjects: ["chinese", "math"] },
      },
    ]);
    expect(
      await database.handle.query("select term, joint_lessons_planned, subjects from public.pairing_goals where pairing_id = $1", [id]),
    ).toEqual([{ term: "2026-2027-1", joint_lessons_planned: 8, subjects: ["chinese", "math"] }]);
  });

  it.each(["stranger", "teacherA", "teacherB", "teacherC", "adminB", "coordinatorY", "coordinatorZ", "platformAdmin"] as const)(
    "%s cannot propose on behalf of school A",
    async (persona) => {
      const w = await createPairingWorld(database.handle);
      await expectPgError(w.propose(persona), E.notAllowed, "not allowed to propose a pairing for this school");
      expect(await database.handle.query("select id from public.pairings where school_a_id = $1", [w.schoolA.id])).toEqual([]);
    },
  );

  it("anonymous cannot call the function at all", async () => {
    const w = await createPairingWorld(database.handle);
    await expectPgError(w.propose("anonymous"), "42501", "permission denied for function propose_pairing");
  });

  it("the request flow: school admin requests, own coordinator forwards, the other side accepts", async () => {
    const w = await createPairingWorld(database.handle);
    const id = await w.propose("adminA", { note: "我校语文组希望结对" });
    expect((await w.pairing(id)).status).toBe("requested");
    expect(await w.transition("coordinatorX", id, "forward", { expectedVersion: 1 })).toBe(2);
    expect((await w.pairing(id)).status).toBe("proposed");
    expect(await w.transition("coordinatorY", id, "accept", { expectedVersion: 2 })).toBe(3);
    const active = await w.pairing(id);
    expect(active).toMatchObject({
      status: "active",
      proposed_by: w.users.adminA.id,
      decided_by: w.users.coordinatorY.id,
      version: 3,
    });
    expect((await w.events(id)).map((e) => `${e.kind} by ${e.actor_id}`)).toEqual([
      "requested by adminA",
      "forwarded by coordinatorX",
      "accepted by coordinatorY",
    ]);
  });

  it.each([
    ["adminA", "requested"],
    ["adminA", "proposed"],
    ["coordinatorX", "requested"],
    ["coordinatorX", "proposed"],
  ] as const)("%s withdraws a %s pairing, which frees the two schools", async (persona, status) => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn(status);
    await w.transition(persona, p.id, "withdraw", { reason: "重新考虑" });
    expect(await w.pairing(p.id)).toMatchObject({
      status: "withdrawn",
      decided_by: w.users[persona].id,
      decision_reason: "重新考虑",
    });
    expect((await w.events(p.id)).at(-1)).toMatchObject({ kind: "withdrawn", actor_id: persona });
    const again = await w.propose("coordinatorX");
    expect((await w.pairing(again)).status).toBe("proposed");
  });
});

describe("pairing rules: regions and duplicates", () => {
  it("two schools of the same region cannot be paired", async () => {
    const w = await createPairingWorld(database.handle);
    await expectPgError(
      w.propose("coordinatorX", { schoolB: w.schoolC.id }),
      E.sameRegion,
      "the two schools of a pairing must be in different regions",
    );
    await expectPgError(
      w.propose("adminA", { schoolB: w.schoolC.id }),
      E.sameRegion,
      "the two schools of a pairing must be in different regions",
    );
    await expectPgError(
      w.propose("coordinatorX", { schoolB: w.schoolA.id }),
      E.sameRegion,
      "the two schools of a pairing must be in different regions",
    );
    expect(await database.handle.query("select id from public.pairings where school_a_id = $1", [w.schoolA.id])).toEqual([]);
  });

  const duplicate = `duplicate key value violates unique constraint "${OPEN_PAIRING_UNIQUE_INDEX}"`;

  it.each(["requested", "proposed", "active", "paused"] as const)(
    "while a %s pairing is open, no second one for the same schools, in either order",
    async (status) => {
      const w = await createPairingWorld(database.handle);
      await w.pairingIn(status);
      await expectPgError(w.propose("coordinatorX"), E.duplicate, duplicate);
      await expectPgError(w.propose("adminA"), E.duplicate, duplicate);
      await expectPgError(w.propose("coordinatorY", { schoolA: w.schoolB.id, schoolB: w.schoolA.id }), E.duplicate, duplicate);
      await expectPgError(w.propose("adminB", { schoolA: w.schoolB.id, schoolB: w.schoolA.id }), E.duplicate, duplicate);
      const [{ count }] = await database.handle.query<{ count: number }>(
        "select count(*)::int as count from public.pairings where school_a_id = any($1::uuid[])",
        [[w.schoolA.id, w.schoolB.id]],
      );
      expect(count).toBe(1);
      // The same school may still be paired with another school.
      expect(await w.propose("coordinatorX", { schoolB: w.schoolD.id })).toEqual(expect.any(String));
    },
  );

  it.each(["ended", "declined", "withdrawn"] as const)("after a pairing is %s the two schools can be paired again", async (status) => {
    const w = await createPairingWorld(database.handle);
    const first = await w.pairingIn(status);
    const second = await w.propose("coordinatorY", { schoolA: w.schoolB.id, schoolB: w.schoolA.id });
    expect(second).not.toBe(first.id);
    expect((await w.pairing(second)).status).toBe("proposed");
    expect((await w.pairing(first.id)).status).toBe(status);
  });
});

describe("input validation", () => {
  it.each([
    ["an unknown subject", { subjects: ["chinese", "cooking"] }],
    ["no subject", { subjects: [] }],
    ["null subjects", { subjects: null }],
    ["a null subject", { subjects: ["math", null] }],
    ["a third semester", { term: "2026-2027-3" }],
    ["years that do not follow", { term: "2026-2028-1" }],
    ["a term in another shape", { term: "2026秋" }],
    ["slashes", { term: "2026/2027-1" }],
    ["an empty term", { term: "" }],
    ["no term", { term: null }],
    ["a negative count", { jointLessonsPlanned: -1 }],
    ["no count", { jointLessonsPlanned: null }],
  ])("propose_pairing refuses %s and writes nothing", async (_, goals) => {
    const w = await createPairingWorld(database.handle);
    await expectPgError(w.propose("coordinatorX", goals), E.invalidInput, /^invalid pairing goals: /);
    expect(await database.handle.query("select id from public.pairings where school_a_id = $1", [w.schoolA.id])).toEqual([]);
  });

  it("propose_pairing refuses an unknown partner school and an overlong note", async () => {
    const w = await createPairingWorld(database.handle);
    await expectPgError(
      w.propose("coordinatorX", { schoolB: "00000000-0000-4000-8000-000000000000" }),
      E.invalidInput,
      "unknown partner school",
    );
    await expectPgError(w.propose("coordinatorX", { note: "字".repeat(2001) }), E.invalidInput, "the note is longer than 2000 characters");
  });

  it("every subject code of SUBJECTS is accepted, repeated ones once, in the order given", async () => {
    const w = await createPairingWorld(database.handle);
    const id = await w.propose("coordinatorX", {
      subjects: [...SUBJECTS].reverse().concat(["math", "tibetan"]),
      jointLessonsPlanned: 0,
    });
    const [goals] = await database.handle.query<{ subjects: string[]; joint_lessons_planned: number }>(
      "select subjects, joint_lessons_planned from public.pairing_goals where pairing_id = $1",
      [id],
    );
    expect(goals).toEqual({ subjects: [...SUBJECTS].reverse(), joint_lessons_planned: 0 });
  });
});

describe("goals per term", () => {
  const goalsOf = (id: string) =>
    database.handle.query<{ term: string; joint_lessons_planned: number; subjects: string[] }>(
      "select term, joint_lessons_planned, subjects from public.pairing_goals where pairing_id = $1 order by term",
      [id],
    );

  it.each(["requested", "proposed", "active", "paused"] as const)(
    "coordinators of either side set the goals of a %s pairing",
    async (status) => {
      const w = await createPairingWorld(database.handle);
      const p = await w.pairingIn(status);
      expect(await w.setGoals("coordinatorY", p.id, { term: "2026-2027-1", jointLessonsPlanned: 12, subjects: ["tibetan", "math"] })).toBe(
        p.version + 1,
      );
      expect(await w.setGoals("coordinatorX", p.id, { term: "2026-2027-2", jointLessonsPlanned: 6, subjects: ["music"] })).toBe(
        p.version + 2,
      );
      expect(await goalsOf(p.id)).toEqual([
        { term: "2026-2027-1", joint_lessons_planned: 12, subjects: ["tibetan", "math"] },
        { term: "2026-2027-2", joint_lessons_planned: 6, subjects: ["music"] },
      ]);
      const events = (await w.events(p.id)).slice(-2);
      expect(events).toEqual([
        {
          kind: "goals_updated",
          actor_id: "coordinatorY",
          reason: null,
          data: {
            term: "2026-2027-1",
            joint_lessons_planned: 12,
            subjects: ["tibetan", "math"],
            previous: { joint_lessons_planned: 8, subjects: ["chinese", "math"] },
          },
        },
        {
          kind: "goals_updated",
          actor_id: "coordinatorX",
          reason: null,
          data: { term: "2026-2027-2", joint_lessons_planned: 6, subjects: ["music"], previous: null },
        },
      ]);
      expect((await w.pairing(p.id)).status).toBe(status);
    },
  );

  it.each(["anonymous", "stranger", "teacherA", "adminA", "teacherB", "adminB", "teacherC", "coordinatorZ", "platformAdmin"] as const)(
    "%s cannot set goals",
    async (persona) => {
      const w = await createPairingWorld(database.handle);
      const p = await w.pairingIn("active");
      const before = await snapshot(w, p.id);
      const attempt = w.setGoals(persona, p.id, { jointLessonsPlanned: 99 });
      if (persona === "anonymous") await expectPgError(attempt, "42501", "permission denied for function set_pairing_goals");
      else await expectPgError(attempt, E.notAllowed, "not allowed to set the goals of this pairing");
      await unchanged(w, p.id, before);
      expect((await goalsOf(p.id))[0].joint_lessons_planned).toBe(8);
    },
  );

  it.each(["ended", "declined", "withdrawn"] as const)("the goals of a %s pairing are frozen", async (status) => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn(status);
    await expectPgError(
      w.setGoals("coordinatorX", p.id, { jointLessonsPlanned: 99 }),
      E.illegalTransition,
      `cannot set the goals of a ${status} pairing`,
    );
    expect((await goalsOf(p.id))[0].joint_lessons_planned).toBe(8);
  });

  it("a stale version or bad goals change nothing", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("active");
    const before = await snapshot(w, p.id);
    await expectPgError(
      w.setGoals("coordinatorX", p.id, { jointLessonsPlanned: 99 }, { expectedVersion: 1 }),
      E.staleVersion,
      `pairing ${p.id} changed: version 1 expected, 2 found`,
    );
    await expectPgError(w.setGoals("coordinatorX", p.id, {}, { expectedVersion: null }), E.invalidInput, "expected_version is required");
    for (const goals of [{ term: "2026-2027-0" }, { subjects: ["pottery"] }, { subjects: [] }, { jointLessonsPlanned: -3 }]) {
      await expectPgError(w.setGoals("coordinatorX", p.id, goals), E.invalidInput, /^invalid pairing goals: /);
    }
    await unchanged(w, p.id, before);
    expect(await goalsOf(p.id)).toEqual([{ term: "2026-2027-1", joint_lessons_planned: 8, subjects: ["chinese", "math"] }]);
  });

  it("a goals change makes an action prepared on the old version stale", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("active");
    await w.setGoals("coordinatorY", p.id, { jointLessonsPlanned: 10 }, { expectedVersion: p.version });
    await expectPgError(
      w.transition("coordinatorX", p.id, "pause", { reason: "假期", expectedVersion: p.version }),
      E.staleVersion,
      `pairing ${p.id} changed: version ${p.version} expected, ${p.version + 1} found`,
    );
  });
});

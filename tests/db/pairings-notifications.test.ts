import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { PairingAction, PairingStatus } from "../../app/db/enums";
import { notifications } from "../../app/db/schema";
import { setupTestDatabase } from "../support/db-suite";
import { addCoordinator, addMembership } from "../support/factories";
import { createPairingWorld, type PairingPersona, type PairingWorld } from "../support/pairing-world";
import { expectPgError } from "../support/pg-error";

const database = setupTestDatabase();

/** What `work` added to the pairing's notifications, as sorted `persona: kind`. */
async function notificationsFrom(w: PairingWorld, pairingId: string, work: () => Promise<unknown>) {
  const before = await w.notifications(pairingId);
  await work();
  const added = await w.notifications(pairingId);
  for (const old of before) {
    const at = added.indexOf(old);
    if (at === -1) throw new Error(`Notification ${old} disappeared`);
    added.splice(at, 1);
  }
  return added;
}

describe("who is told of a proposal", () => {
  it.each([
    ["coordinatorX", "schoolA", "schoolB", ["coordinatorY2: pairing_proposed", "coordinatorY: pairing_proposed"]],
    ["adminA", "schoolA", "schoolB", ["coordinatorX: pairing_requested"]],
    ["coordinatorY", "schoolB", "schoolA", ["coordinatorX: pairing_proposed"]],
    ["adminB", "schoolB", "schoolA", ["coordinatorY2: pairing_requested", "coordinatorY: pairing_requested"]],
  ] as const)("%s proposes %s with %s", async (persona, a, b, expected) => {
    const w = await createPairingWorld(database.handle);
    const id = await w.propose(persona, { schoolA: w[a].id, schoolB: w[b].id });
    expect(await w.notifications(id)).toEqual(expected);
  });
});

describe("who is told of each transition", () => {
  const everyoneBut = (actor: PairingPersona, kind: string, people: PairingPersona[]) =>
    people
      .filter((p) => p !== actor)
      .map((p) => `${p}: ${kind}`)
      .sort();

  it.each([
    // A request's outcome goes to those who heard of the request: A's coordinators and admins.
    ["requested", "forward", "coordinatorX", ["coordinatorY2: pairing_proposed", "coordinatorY: pairing_proposed"]],
    ["requested", "decline", "coordinatorX", ["adminA: pairing_declined"]],
    ["requested", "withdraw", "adminA", ["coordinatorX: pairing_withdrawn"]],
    ["requested", "withdraw", "coordinatorX", ["adminA: pairing_withdrawn"]],
    // Afterwards: the coordinators of the side the actor does not coordinate, both schools' admins.
    ["proposed", "accept", "coordinatorY", ["adminA: pairing_accepted", "adminB: pairing_accepted", "coordinatorX: pairing_accepted"]],
    ["proposed", "decline", "coordinatorY2", ["adminA: pairing_declined", "adminB: pairing_declined", "coordinatorX: pairing_declined"]],
    [
      "proposed",
      "withdraw",
      "coordinatorX",
      everyoneBut("coordinatorX", "pairing_withdrawn", ["adminA", "adminB", "coordinatorY", "coordinatorY2"]),
    ],
    [
      "proposed",
      "withdraw",
      "adminA",
      everyoneBut("adminA", "pairing_withdrawn", ["adminB", "coordinatorX", "coordinatorY", "coordinatorY2"]),
    ],
    [
      "active",
      "pause",
      "coordinatorX",
      everyoneBut("coordinatorX", "pairing_paused", ["adminA", "adminB", "coordinatorY", "coordinatorY2"]),
    ],
    ["active", "pause", "coordinatorY", ["adminA: pairing_paused", "adminB: pairing_paused", "coordinatorX: pairing_paused"]],
    ["active", "end", "coordinatorY2", ["adminA: pairing_ended", "adminB: pairing_ended", "coordinatorX: pairing_ended"]],
    [
      "paused",
      "resume",
      "coordinatorX",
      everyoneBut("coordinatorX", "pairing_resumed", ["adminA", "adminB", "coordinatorY", "coordinatorY2"]),
    ],
    ["paused", "end", "coordinatorX", everyoneBut("coordinatorX", "pairing_ended", ["adminA", "adminB", "coordinatorY", "coordinatorY2"])],
  ] as [PairingStatus, PairingAction, PairingPersona, string[]][])("%s → %s by %s", async (status, action, actor, expected) => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn(status);
    const added = await notificationsFrom(w, p.id, () => w.transition(actor, p.id, action, { reason: "原因" }));
    expect(added).toEqual(expected);
  });

  it("setting goals notifies no one", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("active");
    expect(await notificationsFrom(w, p.id, () => w.setGoals("coordinatorY", p.id, { jointLessonsPlanned: 3 }))).toEqual([]);
  });

  it("a refused transition notifies no one", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("proposed");
    const added = await notificationsFrom(w, p.id, () =>
      expectPgError(w.transition("coordinatorX", p.id, "accept"), "42501", "not allowed to accept this pairing"),
    );
    expect(added).toEqual([]);
  });

  it("carries the pairing, who acted and why", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("proposed");
    await w.transition("coordinatorY", p.id, "decline", { reason: "本学期师资不足" });
    const [row] = await database.handle.query<{ kind: string; pairing_id: string; data: unknown; read_at: unknown }>(
      "select kind, pairing_id, data, read_at from public.notifications where user_id = $1 and kind = 'pairing_declined'",
      [w.users.coordinatorX.id],
    );
    expect(row).toEqual({
      kind: "pairing_declined",
      pairing_id: p.id,
      data: { actor_id: w.users.coordinatorY.id, action: "decline", reason: "本学期师资不足" },
      read_at: null,
    });
  });
});

describe("nobody is told of their own action, and nobody twice", () => {
  it("a school admin of A who also coordinates region X", async () => {
    const w = await createPairingWorld(database.handle);
    await addMembership(database.handle, w.schoolA.id, w.users.coordinatorX.id, "school_admin");
    await addCoordinator(database.handle, w.regionY.id, w.users.adminB.id);
    const p = await w.pairingIn("proposed");
    expect(await w.notifications(p.id)).toEqual([
      "adminB: pairing_proposed",
      "coordinatorY2: pairing_proposed",
      "coordinatorY: pairing_proposed",
    ]);
    expect(await notificationsFrom(w, p.id, () => w.transition("adminB", p.id, "accept"))).toEqual([
      "adminA: pairing_accepted",
      "coordinatorX: pairing_accepted",
    ]);
    expect(await notificationsFrom(w, p.id, () => w.transition("coordinatorX", p.id, "pause", { reason: "期末考试" }))).toEqual([
      "adminA: pairing_paused",
      "adminB: pairing_paused",
      "coordinatorY2: pairing_paused",
      "coordinatorY: pairing_paused",
    ]);
  });

  it("teachers, strangers, other regions' coordinators and platform admins hear nothing of a whole lifecycle", async () => {
    const w = await createPairingWorld(database.handle);
    const id = await w.propose("adminA");
    await w.transition("coordinatorX", id, "forward");
    await w.transition("coordinatorY", id, "accept");
    await w.transition("coordinatorY2", id, "pause", { reason: "暂停" });
    await w.transition("coordinatorX", id, "resume");
    await w.transition("coordinatorX", id, "end", { reason: "结束" });
    const told = new Set((await w.notifications(id)).map((n) => n.split(":")[0]));
    expect([...told].sort()).toEqual(["adminA", "adminB", "coordinatorX", "coordinatorY", "coordinatorY2"]);
  });
});

describe("reading notifications", () => {
  it("a user sees theirs newest first, marks one read, and the unread count follows", async () => {
    const w = await createPairingWorld(database.handle);
    const p = await w.pairingIn("active");
    await w.transition("coordinatorY", p.id, "pause", { reason: "假期" });
    const unread = () =>
      w.as("adminA", async (tx) =>
        (await tx.select({ id: notifications.id, readAt: notifications.readAt }).from(notifications)).filter((n) => n.readAt === null),
      );
    const list = await w.as("adminA", (tx) =>
      tx.select({ id: notifications.id, kind: notifications.kind }).from(notifications).orderBy(desc(notifications.createdAt)),
    );
    expect(list.map((n) => n.kind)).toEqual(["pairing_paused", "pairing_accepted"]);
    expect(await unread()).toHaveLength(2);
    await w.as("adminA", (tx) => tx.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, list[0].id)));
    expect((await unread()).map((n) => n.id)).toEqual([list[1].id]);
  });
});

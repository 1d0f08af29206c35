import { describe, expect, it } from "vitest";
import { goalNotes, listPairingEvents, listPairings } from "../../app/pairings/queries.server";
import { setupTestDatabase } from "../support/db-suite";
import { createPairingWorld } from "../support/pairing-world";

const database = setupTestDatabase();

describe("the pairing workspace's timeline", () => {
  it("comes a page at a time, newest first, each entry once — also entries written in one transaction", async () => {
    const w = await createPairingWorld(database.handle);
    const pairing = await w.pairingIn("active", { note: "每月两节同步课" });
    // 64 more entries: 40 with their own times, then 24 written together (one now()).
    await database.handle.exec(`
      insert into public.pairing_events (pairing_id, kind, actor_id, created_at)
      select '${pairing.id}', 'live_session_scheduled', '${w.users.teacherA.id}', now() + g * interval '1 second'
      from generate_series(1, 40) g;
      insert into public.pairing_events (pairing_id, kind, actor_id, created_at)
      select '${pairing.id}', 'lesson_plan_created', '${w.users.teacherB.id}', now() + interval '1 hour'
      from generate_series(1, 24) g`);
    const all = await database.handle.query<{ id: string }>(
      "select id from public.pairing_events where pairing_id = $1 order by created_at desc, id desc",
      [pairing.id],
    );
    expect(all.length).toBeGreaterThan(64);

    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page = await w.as("teacherB", (tx) => listPairingEvents(tx, pairing.id, { before, limit: 10 }));
      expect(page.events.length).toBeLessThanOrEqual(10);
      seen.push(...page.events.map((e) => e.id));
      before = page.older;
      pages++;
    } while (before && pages < 20);
    expect(seen).toEqual(all.map((row) => row.id));
    expect(pages).toBe(Math.ceil(all.length / 10));
  });

  it("reads a cursor it did not make as the newest page, and shows nothing to a stranger", async () => {
    const w = await createPairingWorld(database.handle);
    const pairing = await w.pairingIn("active");
    const newest = await w.as("teacherA", (tx) => listPairingEvents(tx, pairing.id));
    expect(newest.events.length).toBeGreaterThan(0);
    for (const before of ["garbage", "2026-13-45T99:00:00.000000Z_x", "'; drop table x; --", ""]) {
      const page = await w.as("teacherA", (tx) => listPairingEvents(tx, pairing.id, { before }));
      expect(page.events.map((e) => e.id)).toEqual(newest.events.map((e) => e.id));
    }
    const stranger = await w.as("teacherC", (tx) => listPairingEvents(tx, pairing.id));
    expect(stranger.events).toEqual([]);
  });

  it("keeps each term's goal note, however long the timeline", async () => {
    const w = await createPairingWorld(database.handle);
    const pairing = await w.pairingIn("active", { note: "每月两节同步课", term: "2026-2027-1" });
    await database.handle.exec(`
      insert into public.pairing_events (pairing_id, kind, created_at)
      select '${pairing.id}', 'live_session_scheduled', now() + g * interval '1 second' from generate_series(1, 80) g`);
    expect(await w.as("teacherB", (tx) => goalNotes(tx, pairing.id))).toEqual({ "2026-2027-1": "每月两节同步课" });
  });
});

describe("the pairings list", () => {
  it("comes 50 at a time, newest first, each pairing once, however many a coordinator follows", async () => {
    const w = await createPairingWorld(database.handle);
    const open = await w.pairingIn("active");
    // 119 ended pairings of the same two schools, 40 of them proposed at the same moment.
    await database.handle.exec(`
      set session_replication_role = replica;
      insert into public.pairings (school_a_id, school_b_id, status, proposed_by, proposed_at, decided_at, started_at, ended_at)
      select '${w.schoolA.id}', '${w.schoolB.id}', 'ended', '${w.users.coordinatorX.id}',
             now() - interval '2 days' - case when g <= 40 then interval '0' else g * interval '1 minute' end, now(), now(), now()
      from generate_series(1, 119) g;
      set session_replication_role = origin;`);
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page = await w.as("coordinatorY", (tx) => listPairings(tx, { before }));
      expect(page.pairings.length).toBeLessThanOrEqual(50);
      seen.push(...page.pairings.map((p) => p.id));
      before = page.older;
      pages++;
    } while (before && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe(open.id);
    // A stranger to both regions and schools sees none.
    expect((await w.as("coordinatorZ", (tx) => listPairings(tx))).pairings).toEqual([]);
  });
});

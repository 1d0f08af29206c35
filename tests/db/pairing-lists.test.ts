import { describe, expect, it } from "vitest";
import { listPlans } from "../../app/lesson-plans/queries.server";
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

describe("a pairing's plan list", () => {
  it("comes a page at a time, most recently changed first, each plan once, with the count of every match", async () => {
    const w = await createPairingWorld(database.handle);
    const pairing = await w.pairingIn("active");
    // 70 plans, the first 30 changed at one moment; every third is maths.
    await database.handle.exec(`
      set session_replication_role = replica;
      insert into public.lesson_plans (id, pairing_id, title, subject, grade, status, lead_author_id, created_by, updated_at)
      select ('c0000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, '${pairing.id}', '教案 ' || g,
             case when g % 3 = 0 then 'math' else 'chinese' end, 4, 'draft', '${w.users.teacherA.id}', '${w.users.teacherA.id}',
             now() - case when g <= 30 then interval '0' else g * interval '1 minute' end
      from generate_series(1, 70) g;
      insert into public.lesson_plan_documents (plan_id, state, content_json, content_text, state_hash, updated_at)
      select ('c0000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, '\\x00'::bytea, '{"type":"doc","content":[]}'::jsonb,
             '第' || g || '号', md5(g::text), now() - interval '1 day'
      from generate_series(1, 70) g;
      set session_replication_role = origin;`);
    const all = async (filters: Parameters<typeof listPlans>[2]) => {
      const seen: string[] = [];
      let before: string | null = null;
      let pages = 0;
      let total = 0;
      do {
        const page = await w.as("teacherB", (tx) => listPlans(tx, pairing.id, filters, { limit: 20, before }));
        expect(page.plans.length).toBeLessThanOrEqual(20);
        seen.push(...page.plans.map((p) => p.id));
        total = page.total;
        before = page.older;
        pages++;
      } while (before && pages < 10);
      return { seen, pages, total };
    };
    const everything = await all({});
    expect(everything.total).toBe(70);
    expect(everything.pages).toBe(4);
    expect(new Set(everything.seen).size).toBe(70);
    const maths = await all({ subject: "math" });
    expect(maths).toMatchObject({ total: 23, pages: 2 });
    expect(new Set(maths.seen).size).toBe(23);
    // Someone outside the pairing sees none.
    expect((await w.as("teacherC", (tx) => listPlans(tx, pairing.id))).plans).toEqual([]);
    // Two characters of Chinese find titles and text alike (too short for a trigram; the pairing's index narrows first).
    await database.handle.exec(`
      update public.lesson_plans set title = '光合作用 第一课' where id = 'c0000000-0000-4000-8000-000000000007';
      update public.lesson_plan_documents set content_text = '叶绿体与光合作用' where plan_id = 'c0000000-0000-4000-8000-000000000008';`);
    const found = await w.as("teacherB", (tx) => listPlans(tx, pairing.id, { q: "光合" }));
    expect(found.plans.map((p) => p.id).sort()).toEqual(["c0000000-0000-4000-8000-000000000007", "c0000000-0000-4000-8000-000000000008"]);
    expect(found.total).toBe(2);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { COLLAB_REASONS } from "../../app/collab/close-reasons";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { createPlan } from "../../app/lesson-plans/writes.server";
import { describeJson, yDocFromState } from "../../app/lesson-plans/document.server";
import { PLAN_FRAGMENT } from "../../app/lesson-plans/extensions";
import { insertRaw, MALFORMED, rawYDoc, UNKNOWN_CONTENT } from "../../app/lesson-plans/poison-plans";
import { checkPlanFragment } from "../../app/lesson-plans/schema-gate";
import {
  appendParagraph,
  connect,
  documentText,
  planInDatabase,
  startCollabServer,
  synced,
  tokenFor,
  waitFor,
  type CollabServer,
  type TestClient,
} from "../support/collab";
import { setupTestDatabase } from "../support/db-suite";
import { createPairingWorld, type PairingWorld } from "../support/pairing-world";

/**
 * The collaboration server's extensions, each on its own, with real providers: the update log
 * (acknowledged means in the database), compaction and recovery, presence from the server, and
 * the schema gate. No fixed sleeps: each step waits for an acknowledgement or an event.
 */
const database = setupTestDatabase();
let world: PairingWorld;
let pairingId: string;
let server: CollabServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  world = await createPairingWorld(database.handle);
  pairingId = (await world.pairingIn("active")).id;
  // Compaction far away: what the tests read before it comes from the log.
  server = await startCollabServer(database.handle, { debounce: 60_000, maxDebounce: 120_000 });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  await server?.stop();
});

async function newPlan(title = "日志测试") {
  return withUserTransaction(database.handle.db, world.users.teacherA.claims, (tx) =>
    createPlan(
      tx,
      {
        pairingId,
        title,
        subject: "chinese",
        grade: 3,
        periods: 1,
        language: "zh-CN",
        leadAuthorId: world.users.teacherA.id,
        coauthorIds: [world.users.teacherB.id],
      },
      describeJson,
    ),
  );
}

async function open(planId: string, persona: keyof PairingWorld["users"], target = server) {
  const client = connect(target.url, planId, await tokenFor(world.users[persona].claims));
  clients.push(client);
  return client;
}

const logRows = async (planId: string) =>
  (await database.handle.query<{ id: string }>("select id from private.lesson_plan_updates where plan_id = $1", [planId])).length;

/** What the database holds for the plan: the stored state merged with the log, as loading does. */
const inDatabase = async (planId: string) => (await planInDatabase(database.handle, planId)).text;

describe("the update log", () => {
  it("holds every acknowledged edit before the debounced store runs", async () => {
    const planId = await newPlan();
    const a = await open(planId, "teacherA");
    await synced(a);
    for (let i = 0; i < 5; i++) {
      appendParagraph(a.doc, `确认第${i}句`);
      await synced(a, `acknowledgement ${i}`);
      // Acknowledged: already in the database, though nothing was compacted yet.
      expect(await inDatabase(planId)).toContain(`确认第${i}句`);
    }
    expect(await logRows(planId)).toBeGreaterThanOrEqual(5);
    const [{ content_text }] = await database.handle.query<{ content_text: string }>(
      "select content_text from public.lesson_plan_documents where plan_id = $1",
      [planId],
    );
    expect(content_text).not.toContain("确认第0句");
  });

  it("compacts the log into the stored state and deletes the rows it folded in", async () => {
    const planId = await newPlan();
    const a = await open(planId, "teacherA");
    await synced(a);
    appendParagraph(a.doc, "压缩之前");
    await synced(a);
    expect(await logRows(planId)).toBeGreaterThan(0);
    await server.collab.flush();
    expect(await logRows(planId)).toBe(0);
    const [{ content_text }] = await database.handle.query<{ content_text: string }>(
      "select content_text from public.lesson_plan_documents where plan_id = $1",
      [planId],
    );
    expect(content_text).toContain("压缩之前");
  });

  it("merges the log when loading, and folds what a crash left behind into the stored state", async () => {
    const planId = await newPlan();
    // What a server that died before compacting leaves: acknowledged updates only in the log.
    const [{ state }] = await database.handle.query<{ state: Uint8Array }>(
      "select state from public.lesson_plan_documents where plan_id = $1",
      [planId],
    );
    const writer = yDocFromState(new Uint8Array(state));
    const updates: Uint8Array[] = [];
    writer.on("update", (update: Uint8Array) => updates.push(update));
    appendParagraph(writer, "崩溃之前确认的一句");
    appendParagraph(writer, "崩溃之前确认的第二句");
    for (const update of updates) {
      await database.handle.query("insert into private.lesson_plan_updates (plan_id, update) values ($1, $2)", [
        planId,
        Buffer.from(update),
      ]);
    }
    const reader = await open(planId, "teacherB");
    await synced(reader);
    expect(documentText(reader.doc)).toContain("崩溃之前确认的第二句");
    reader.destroy();

    // A restarted server folds it in at once (before anyone opens the plan).
    await server.stop();
    for (const update of updates) {
      await database.handle.query("insert into private.lesson_plan_updates (plan_id, update) values ($1, $2)", [
        planId,
        Buffer.from(update),
      ]);
    }
    server = await startCollabServer(database.handle, { debounce: 60_000, maxDebounce: 120_000 });
    await waitFor(async () => (await logRows(planId)) === 0, "the recovery to compact the log");
    const [{ content_text }] = await database.handle.query<{ content_text: string }>(
      "select content_text from public.lesson_plan_documents where plan_id = $1",
      [planId],
    );
    expect(content_text.match(/崩溃之前确认的第二句/g)).toHaveLength(1);
  });
});

describe("presence", () => {
  it("shows each connection as its authenticated user, whatever the client claims, and readers as readers", async () => {
    const planId = await newPlan();
    const a = await open(planId, "teacherA");
    const reader = await open(planId, "coordinatorY");
    const observer = await open(planId, "teacherB");
    await Promise.all([synced(a), synced(observer), reader.authenticated]);
    // The reader claims to be the lead author; the lead author claims to be someone else.
    reader.provider.setAwarenessField("user", { name: "teacherA", color: "#000000", role: "editor" });
    a.provider.setAwarenessField("user", { name: "someone else", color: "#ffffff" });
    const others = () =>
      [...observer.provider.awareness!.getStates().entries()]
        .filter(([clientId, state]) => clientId !== observer.doc.clientID && state.user)
        .map(([, state]) => state.user as { name: string; role: string; color: string });
    await waitFor(() => others().length === 2, "both in the observer's awareness");
    expect(
      others()
        .map((u) => `${u.name}:${u.role}`)
        .sort(),
    ).toEqual(["coordinatorY:reader", "teacherA:editor"]);
    expect(others().every((u) => /^#[0-9a-f]{6}$/.test(u.color) && u.color !== "#000000" && u.color !== "#ffffff")).toBe(true);
  });
});

describe("sessions", () => {
  it("closes the connections of a session that ended elsewhere, and refuses its token from then on", async () => {
    const planId = await newPlan();
    const b = await open(planId, "teacherB");
    const a = await open(planId, "teacherA");
    await Promise.all([synced(a), synced(b)]);
    const { id } = world.users.teacherB;
    // Signed out on another device (or by refresh-token reuse, a password change, an administrator).
    const [ended] = await database.handle.query("delete from auth.sessions where id = $1 returning *", [id]);
    try {
      await waitFor(() => b.closedWith.includes(COLLAB_REASONS.sessionEnded), "the ended session's connection to close", 5_000);
      const again = await open(planId, "teacherB");
      await expect(again.authenticated).rejects.toThrow(COLLAB_REASONS.unauthenticated);
      // The other teacher's connection lives on.
      appendParagraph(a.doc, "仍在线");
      await synced(a);
      expect(a.closedWith).toEqual([]);
    } finally {
      await database.handle.query("insert into auth.sessions (id, user_id, created_at, updated_at) values ($1, $2, $3, $4)", [
        ended.id,
        ended.user_id,
        ended.created_at,
        ended.updated_at,
      ]);
      // The server would trust its "ended" answer for its check window, as for a real sign-out.
      server.sessions.forget(world.users.teacherB.claims);
    }
  });
});

describe("the schema gate", () => {
  const poisons = Object.entries({ ...UNKNOWN_CONTENT, ...MALFORMED });

  it.each(poisons)("refuses %s: the sender is told why, nobody else sees it, nothing is stored", async (name, poison) => {
    const planId = await newPlan(`毒 ${name}`);
    const sender = await open(planId, "teacherA");
    const other = await open(planId, "teacherB");
    await Promise.all([synced(sender), synced(other)]);
    // What a modified client can send: the poison after the template (its first paragraph is ours).
    const fragment = sender.doc.getXmlFragment(PLAN_FRAGMENT);
    sender.doc.transact(() => insertRaw(fragment, fragment.length, (poison.content ?? []).slice(1)));
    await waitFor(() => sender.closedWith.includes("tongke:invalid-content"), `the refusal of ${name}`);
    // The other editor keeps working on the valid document, and the server answers at once.
    appendParagraph(other.doc, "之后的一句");
    await synced(other, "the other editor's next edit");
    expect(checkPlanFragment(other.doc.getXmlFragment(PLAN_FRAGMENT))).toBeNull();
    await server.collab.flush();
    const after = await inDatabase(planId);
    expect(after).toContain("之后的一句");
    expect(checkPlanFragment(yDocFromState(await storedState(planId)).getXmlFragment(PLAN_FRAGMENT))).toBeNull();
    const started = Date.now();
    const reader = await open(planId, "coordinatorY");
    await waitFor(() => documentText(reader.doc).includes("之后的一句"), "a reader's copy");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("refuses an update over the size limit and says so", async () => {
    const planId = await newPlan("太大");
    const sender = await open(planId, "teacherA");
    await synced(sender);
    appendParagraph(sender.doc, "很长".repeat(700_000));
    await waitFor(() => sender.closedWith.includes("tongke:update-too-large"), "the size refusal");
    await server.collab.flush();
    expect(await inDatabase(planId)).not.toContain("很长很长很长");
  });

  it("repairs a stored document that breaks the schema when it loads", async () => {
    const planId = await newPlan("旧的坏文档");
    const poisoned = rawYDoc(MALFORMED["giant colspan"]);
    insertRaw(poisoned.getXmlFragment(PLAN_FRAGMENT), 0, UNKNOWN_CONTENT.script.content ?? []);
    expect(checkPlanFragment(poisoned.getXmlFragment(PLAN_FRAGMENT))).not.toBeNull();
    await database.handle.query("update public.lesson_plan_documents set state = $2 where plan_id = $1", [
      planId,
      Buffer.from(Y.encodeStateAsUpdate(poisoned)),
    ]);
    const client = await open(planId, "teacherA");
    await synced(client);
    expect(checkPlanFragment(client.doc.getXmlFragment(PLAN_FRAGMENT))).toBeNull();
    expect(documentText(client.doc)).toContain("环节");
    // Repaired on loading and stored at once.
    expect(checkPlanFragment(yDocFromState(await storedState(planId)).getXmlFragment(PLAN_FRAGMENT))).toBeNull();
  });
});

async function storedState(planId: string) {
  const [row] = await database.handle.query<{ state: Uint8Array }>("select state from public.lesson_plan_documents where plan_id = $1", [
    planId,
  ]);
  return new Uint8Array(row.state);
}

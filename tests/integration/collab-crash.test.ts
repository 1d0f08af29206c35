import type { ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openDatabase, type DbHandle } from "../../app/db/client.server";
import { migrate } from "../../app/db/migrate.server";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { createPlan } from "../../app/lesson-plans/writes.server";
import { describeJson } from "../../app/lesson-plans/document.server";
import { PLAN_FRAGMENT } from "../../app/lesson-plans/extensions";
import { startBuiltServer } from "../support/built-server";
import { connect, planInDatabase, synced, tokenFor, waitFor, type TestClient } from "../support/collab";
import { createServerDatabase, dropServerDatabase, testDbTarget } from "../support/database";
import { createPairingWorld } from "../support/pairing-world";

/**
 * SIGKILL of the built server (run `npm run build` first) while two teachers type ten
 * characters a second each: every character the server acknowledged is in the database
 * afterwards (stored state merged with the update log), and a restarted server folds the log
 * into the stored document. On PGlite (a data directory the server owns) and on PostgreSQL.
 */
fs.mkdirSync(".tmp", { recursive: true });
const dataDir = fs.mkdtempSync(path.resolve(".tmp", "collab-crash-"));
const dbName = `tongke_collab_crash_${process.pid}`;
let child: ChildProcessWithoutNullStreams | undefined;

afterAll(async () => {
  child?.kill("SIGKILL");
  if (testDbTarget === "postgres") await dropServerDatabase(dbName).catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startServer(databaseUrl: string | undefined) {
  const server = await startBuiltServer({ dataDir, databaseUrl });
  child = server.child;
  return server;
}

const openTarget = async (databaseUrl: string | undefined): Promise<DbHandle> =>
  databaseUrl ? openDatabase({ databaseUrl }) : openDatabase({ pgliteDir: path.join(dataDir, "pglite") });

/** A writer typing one character at a time into a paragraph of its own; what the server acknowledged. */
function typist(client: TestClient, alphabet: string) {
  const paragraph = new Y.XmlElement("paragraph");
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  const fragment = client.doc.getXmlFragment(PLAN_FRAGMENT);
  fragment.insert(fragment.length, [paragraph]);
  let typed = "";
  let acknowledged = "";
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const ch = alphabet[i % alphabet.length];
      text.insert(text.length, ch);
      typed += ch;
      await new Promise((r) => setTimeout(r, 100));
      // Everything typed so far is acknowledged once nothing is pending.
      if (client.provider.unsyncedChanges === 0) acknowledged = typed;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
    },
    get acknowledged() {
      return acknowledged;
    },
  };
}

describe("the built server killed with SIGKILL while two teachers type", () => {
  it("loses no acknowledged character", async () => {
    const databaseUrl = testDbTarget === "postgres" ? await createServerDatabase(dbName) : undefined;
    // The world is made before the server starts (PGlite belongs to one process at a time).
    let db = await openTarget(databaseUrl);
    await migrate(db, { seed: false });
    const world = await createPairingWorld(db);
    const pairing = await world.pairingIn("active");
    const planId = await withUserTransaction(db.db, world.users.teacherA.claims, (tx) =>
      createPlan(
        tx,
        {
          pairingId: pairing.id,
          title: "断电测试",
          subject: "math",
          grade: 5,
          periods: 1,
          language: "zh-CN",
          leadAuthorId: world.users.teacherA.id,
          coauthorIds: [world.users.teacherB.id],
        },
        describeJson,
      ),
    );
    const tokens = [await tokenFor(world.users.teacherA.claims), await tokenFor(world.users.teacherB.claims)];
    await db.close();

    const server = await startServer(databaseUrl);
    const clients = tokens.map((token) => connect(server.url, planId, token));
    try {
      await Promise.all(clients.map((client) => synced(client)));
      const writers = [typist(clients[0], "合川南屏小学语文"), typist(clients[1], "ཀཁགངཅཆཇཉཏཐདནཔཕབམ")];
      await waitFor(() => writers.every((w) => w.acknowledged.length >= 25), "both writers to get 25 characters acknowledged", 30_000);
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child!.kill("SIGKILL");
      await exited;
      await Promise.all(writers.map((w) => w.stop()));
      const acknowledged = writers.map((w) => w.acknowledged);

      db = await openTarget(databaseUrl);
      const after = await planInDatabase(db, planId);
      for (const text of acknowledged) expect(after.text).toContain(`<paragraph>${text}`);
      // With a 2 s debounce, most of it was only in the log when the process died.
      expect(after.logRows).toBeGreaterThan(0);
      await db.close();

      // A restarted server folds the log into the stored document before anyone opens it.
      const again = await startServer(databaseUrl);
      await waitFor(() => /folded the update log of 1 plan/.test(again.output()), "the restarted server to fold the log", 30_000);
      const stopped = new Promise((resolve) => child!.once("exit", resolve));
      child!.kill("SIGTERM");
      await stopped;
      db = await openTarget(databaseUrl);
      const recovered = await planInDatabase(db, planId);
      expect(recovered.logRows).toBe(0);
      for (const text of acknowledged) expect(recovered.text).toContain(`<paragraph>${text}`);
      const [{ content_text }] = await db.query<{ content_text: string }>(
        "select content_text from public.lesson_plan_documents where plan_id = $1",
        [planId],
      );
      for (const text of acknowledged) expect(content_text).toContain(text);
      await db.close();
    } finally {
      for (const client of clients) client.destroy();
    }
  }, 180_000);
});

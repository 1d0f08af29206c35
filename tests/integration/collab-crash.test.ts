import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openDatabase, type DbHandle } from "../../app/db/client.server";
import { migrate } from "../../app/db/migrate.server";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { createPlan } from "../../app/lesson-plans/actions.server";
import { describeJson, yDocFromState } from "../../app/lesson-plans/document.server";
import { PLAN_FRAGMENT } from "../../app/lesson-plans/extensions";
import { connect, synced, TEST_JWT_SECRET, tokenFor, waitFor, type TestClient } from "../support/collab";
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

async function startServer(databaseUrl: string | undefined): Promise<{ url: string; output: () => string }> {
  child = spawn(process.execPath, ["build/server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      DB_MIGRATE_ON_START: "true",
      DB_SEED: "false",
      SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
    },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const match = /ready at http:\/\/localhost:(\d+)/.exec(output);
    if (match) return { url: `ws://127.0.0.1:${match[1]}/collab`, output: () => output };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`The server did not start:\n${output}`);
}

const openTarget = async (databaseUrl: string | undefined): Promise<DbHandle> =>
  databaseUrl ? openDatabase({ databaseUrl }) : openDatabase({ pgliteDir: path.join(dataDir, "pglite") });

/** The plan as the database holds it: stored state merged with the update log, as loading does. */
async function inDatabase(db: DbHandle, planId: string) {
  const [row] = await db.query<{ state: Uint8Array }>("select state from public.lesson_plan_documents where plan_id = $1", [planId]);
  const doc = yDocFromState(new Uint8Array(row.state));
  const logged = await db.query<{ update: Uint8Array }>("select update from private.lesson_plan_updates where plan_id = $1 order by id", [planId]);
  for (const entry of logged) Y.applyUpdate(doc, new Uint8Array(entry.update));
  return { text: doc.getXmlFragment(PLAN_FRAGMENT).toString(), logRows: logged.length };
}

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
      const after = await inDatabase(db, planId);
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
      const recovered = await inDatabase(db, planId);
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

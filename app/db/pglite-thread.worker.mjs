// The embedded database's own thread: PGlite runs here, so that a statement's WebAssembly work
// never holds the server's event loop (requests, WebSockets and the collaboration server stay
// responsive while the database works). Plain JavaScript on purpose: it is loaded by path as a
// worker in every mode (tsx, vitest, the production build). The other side is
// pglite-thread.server.ts; the messages are described there.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";

const identity = (value) => value;

/** What crosses the thread boundary of a database error: its message and every field PostgreSQL sent. */
function describeError(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === "function") continue;
    if (["string", "number", "boolean"].includes(typeof value)) fields[key] = value;
  }
  return { ...fields, message: error.message, name: error.name };
}

async function main() {
  const { dataDir, template } = workerData;
  const pg = await PGlite.create(dataDir, {
    extensions: { pgcrypto, pg_trgm },
    loadDataDir: template ? new Blob([template]) : undefined,
  });
  /** Open transactions by id: each is a PGlite transaction waiting for its end. */
  const transactions = new Map();
  let nextTransaction = 1;
  const listeners = new Map();

  /** Opens a PGlite transaction that stays open until `end`; resolves to its id. */
  function begin() {
    const id = nextTransaction++;
    return new Promise((started, failed) => {
      pg.transaction(
        (tx) =>
          new Promise((end, abort) => {
            transactions.set(id, { tx, end, abort });
            started(id);
          }),
      )
        .then(
          () => transactions.get(id)?.done.resolve(),
          (error) => {
            const entry = transactions.get(id);
            if (entry?.done) entry.done.reject(error);
            else failed(error);
          },
        )
        .finally(() => transactions.delete(id));
    });
  }

  /** Runs `work` on the transaction `txId`, on a new one when txId is "new" (its id comes back with the result or the error), or outside any. */
  async function within(txId, work) {
    if (txId === undefined) return { value: await work(pg) };
    const id = txId === "new" ? await begin() : txId;
    const tx = transactions.get(id);
    if (!tx) throw new Error(`No open transaction ${id}`);
    try {
      return { value: await work(tx.tx), txId: id };
    } catch (error) {
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { txId: id });
    }
  }

  const operations = {
    async query({ text, params, rowMode, rawTypes, txId }) {
      const parsers = rawTypes?.length ? Object.fromEntries(rawTypes.map((oid) => [oid, identity])) : undefined;
      const { value: result, txId: id } = await within(txId, (target) => target.query(text, params, { rowMode, parsers }));
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows, txId: id };
    },
    async exec({ text, txId }) {
      const { value: results, txId: id } = await within(txId, (target) => target.exec(text));
      return {
        results: results.map((result) => ({ rows: result.rows, fields: result.fields, affectedRows: result.affectedRows })),
        txId: id,
      };
    },
    /** Ends a transaction: COMMIT, or ROLLBACK when `rollback` (also after a failed statement). */
    async end({ txId, rollback }) {
      const entry = transactions.get(txId);
      if (!entry) throw new Error(`No open transaction ${txId}`);
      const done = new Promise((resolve, reject) => (entry.done = { resolve, reject }));
      if (rollback) entry.abort(new Error("rolled back"));
      else entry.end();
      try {
        await done;
      } catch (error) {
        if (!rollback) throw error;
      }
    },
    async listen({ channel }) {
      if (listeners.has(channel)) return;
      const unlisten = await pg.listen(channel, (payload) => parentPort.postMessage({ notify: channel, payload }));
      listeners.set(channel, unlisten);
    },
    async unlisten({ channel }) {
      const unlisten = listeners.get(channel);
      listeners.delete(channel);
      await unlisten?.();
    },
    async dump() {
      const blob = await pg.dumpDataDir("gzip");
      return new Uint8Array(await blob.arrayBuffer());
    },
    async close() {
      await pg.close();
    },
  };

  parentPort.on("message", async ({ id, op, ...args }) => {
    try {
      const result = await operations[op](args);
      parentPort.postMessage({ id, result });
    } catch (error) {
      parentPort.postMessage({ id, error: describeError(error) });
    }
  });
  parentPort.postMessage({ ready: true });
}

main().catch((error) => parentPort.postMessage({ failed: describeError(error) }));

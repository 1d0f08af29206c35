import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Results, Transaction as PGliteTransaction } from "@electric-sql/pglite";
import { appRoot } from "../config.server";

/**
 * PGlite on a thread of its own, for the embedded server. PGlite runs PostgreSQL as
 * WebAssembly on the thread that calls it, so every statement held the server's event loop for
 * as long as it ran: a page's queries, the Auth server's and the collaboration server's update
 * log all stopped every WebSocket and request for that time (the collaboration bench's p95 with
 * 100 documents × 2 editors moved from 2.8 to 4–5 ms with the log on). Here the database runs in
 * a worker thread (pglite-thread.worker.mjs) and this side speaks to it in messages, one per
 * statement (not one per protocol message, as PGlite's own worker does).
 *
 * It offers what drizzle's PGlite driver and DbHandle use: `query` (with drizzle's raw-value
 * parsers), `exec`, `transaction`, `listen`, `dumpDataDir`, `close`. Errors keep every field
 * PostgreSQL sent (code, detail, constraint…), so refusals read the same as in-process.
 * Concurrency is PGlite's own, in the worker: a statement outside a transaction waits for an
 * open transaction to end.
 */
export interface PgliteThread {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(text: string): Promise<Array<Results>>;
  transaction<T>(callback: (tx: PGliteTransaction) => Promise<T>): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  dumpDataDir(compression: "gzip"): Promise<Blob>;
  close(): Promise<void>;
}

interface QueryOptions {
  rowMode?: "array" | "object";
  /** Drizzle asks for some types as PostgreSQL's text (identity parsers); nothing else crosses. */
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

type Reply = { id: number; result?: unknown; error?: Record<string, unknown> & { message: string } };
type Notice = { notify: string; payload: string } | { ready: true } | { failed: { message: string } };

const WORKER = () => path.join(appRoot(), "app", "db", "pglite-thread.worker.mjs");

/** The OIDs whose parser returns PostgreSQL's text unchanged; any other parser cannot cross threads. */
function rawTypesOf(parsers: QueryOptions["parsers"]): number[] | undefined {
  if (!parsers) return undefined;
  return Object.entries(parsers).map(([oid, parse]) => {
    const probe = "tongke-probe";
    if (parse(probe, Number(oid)) !== probe) throw new Error(`A custom parser for type ${oid} cannot run on the PGlite thread`);
    return Number(oid);
  });
}

/**
 * A byte array crosses with its whole backing buffer: a Buffer of a few bytes is usually a view
 * of Node's 8 KB pool, and an update a view of the WebSocket message it came in. Sent as
 * exact copies.
 */
const exactBytes = (value: unknown) =>
  ArrayBuffer.isView(value) && value.byteLength !== value.buffer.byteLength
    ? new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength))
    : value;

function rebuildError(described: Record<string, unknown> & { message: string }): Error {
  const { message, name, ...fields } = described;
  const error = Object.assign(new Error(message), fields);
  if (typeof name === "string") error.name = name;
  return error;
}

export async function openPgliteThread(options: { dataDir: string | undefined; template: Blob | undefined }): Promise<PgliteThread> {
  const template = options.template ? new Uint8Array(await options.template.arrayBuffer()) : undefined;
  const worker = new Worker(WORKER(), { workerData: { dataDir: options.dataDir, template } });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const channels = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let exited: Error | null = null;

  const ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (message: Reply | Notice) => {
      if ("id" in message) {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) call?.reject(rebuildError(message.error));
        else call?.resolve(message.result);
      } else if ("notify" in message) {
        for (const callback of channels.get(message.notify) ?? []) callback(message.payload);
      } else if ("ready" in message) resolve();
      else reject(rebuildError(message.failed));
    });
    worker.on("error", (error) => {
      exited = error;
      reject(error);
    });
    worker.on("exit", (code) => {
      exited ??= new Error(`The PGlite thread exited (code ${code})`);
      reject(exited);
      for (const call of pending.values()) call.reject(exited);
      pending.clear();
    });
  });
  await ready;

  function call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    if (exited) return Promise.reject(exited);
    return new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, ...args });
    });
  }

  type TxId = number | "new" | undefined;
  const query = <T>(txId: TxId, text: string, params: unknown[] = [], queryOptions?: QueryOptions) =>
    call<Results<T> & { txId?: number }>("query", {
      text,
      params: params.map(exactBytes),
      rowMode: queryOptions?.rowMode,
      rawTypes: rawTypesOf(queryOptions?.parsers),
      txId,
    });
  const exec = (txId: TxId, text: string) => call<{ results: Results[]; txId?: number }>("exec", { text, txId });

  const thread: PgliteThread = {
    query: (text, params, queryOptions) => query(undefined, text, params, queryOptions),
    exec: async (text) => (await exec(undefined, text)).results,
    async transaction(callback) {
      // The transaction opens with its first statement (one message fewer per transaction).
      let txId: number | undefined;
      /** The statement opening it: statements sent meanwhile (Promise.all in a transaction) wait for it. */
      let opening: Promise<unknown> | null = null;
      let closed = false;
      const inTransaction = async <R extends { txId?: number }>(run: (id: TxId) => Promise<R>): Promise<R> => {
        if (txId === undefined && opening) await opening.catch(() => {});
        if (closed) throw new Error("Transaction is closed");
        if (txId !== undefined) return run(txId);
        const first = run("new").then(
          (result) => {
            txId ??= result.txId;
            return result;
          },
          (error: unknown) => {
            txId ??= (error as { txId?: number }).txId;
            throw error;
          },
        );
        opening = first;
        return first;
      };
      const end = async (rollback: boolean) => {
        closed = true;
        if (txId !== undefined) await call("end", { txId, rollback });
      };
      const tx = {
        query: (text: string, params?: unknown[], queryOptions?: QueryOptions) =>
          inTransaction((id) => query(id, text, params, queryOptions)),
        exec: async (text: string) => (await inTransaction((id) => exec(id, text))).results,
        sql: () => Promise.reject(new Error("tx.sql is not offered on the PGlite thread")),
        rollback: () => end(true),
        listen: () => Promise.reject(new Error("LISTEN inside a transaction is not offered on the PGlite thread")),
        get closed() {
          return closed;
        },
      } as unknown as PGliteTransaction;
      try {
        const result = await callback(tx);
        if (!closed) await end(false);
        return result;
      } catch (error) {
        if (!closed) await end(true);
        throw error;
      }
    },
    async listen(channel, callback) {
      let set = channels.get(channel);
      if (!set) channels.set(channel, (set = new Set()));
      set.add(callback);
      await call("listen", { channel });
      return async () => {
        set.delete(callback);
        if (set.size === 0 && channels.get(channel) === set) {
          channels.delete(channel);
          await call("unlisten", { channel });
        }
      };
    },
    async dumpDataDir() {
      return new Blob([await call<Uint8Array<ArrayBuffer>>("dump")]);
    },
    async close() {
      if (exited) return;
      await call("close");
      await worker.terminate();
    },
  };
  return thread;
}

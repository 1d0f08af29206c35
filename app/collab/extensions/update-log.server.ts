import type { DbHandle } from "~/db/client.server";

export interface LoggedUpdate {
  id: string;
  update: Uint8Array;
}

/**
 * The lesson plans' update log (private.lesson_plan_updates). Appends are group-committed: an
 * idle log writes an update at once; while busy, the updates of the next `batchMs` go in
 * together as one statement, so two hundred editors cost at most ~1000/batchMs statements a
 * second instead of one per keystroke (on PGlite each statement runs on the server's thread).
 * Only acknowledgements wait for the log, never the other editors.
 *
 * `batchMs` is short because on PGlite a statement holds the event loop for as long as it
 * runs, and the updates arriving meanwhile wait: `npm run bench:collab`, 100 documents × 2
 * editors, p95 over bare Hocuspocus was 1.42× at 20 ms and 50 ms and 1.7× at 200 ms (longer
 * statements); with 50 editors on one document 0.85×, 1.25× and 1.09× (one round's p95 moves
 * more than that between runs).
 */
export function createUpdateLog(handle: () => Promise<DbHandle>, options: { batchMs?: number } = {}) {
  interface Pending {
    planId: string;
    update: Uint8Array;
    resolve: (id: string) => void;
    reject: (error: unknown) => void;
  }
  const batchMs = options.batchMs ?? 20;
  let queue: Pending[] = [];
  let draining: Promise<void> | null = null;
  let scheduled = false;
  let lastWrite = 0;
  const BATCH = 512;

  async function drain() {
    const db = await handle();
    while (queue.length > 0) {
      const batch = queue.slice(0, BATCH);
      queue = queue.slice(BATCH);
      lastWrite = performance.now();
      try {
        const values = batch.map((_, i) => `($${2 * i + 1}::uuid, $${2 * i + 2}::bytea)`).join(", ");
        const params = batch.flatMap((entry) => [entry.planId, Buffer.from(entry.update)]);
        // Rows come back in the order of VALUES.
        const rows = await db.query<{ id: string | number | bigint }>(
          `insert into private.lesson_plan_updates (plan_id, update) values ${values} returning id`,
          params,
        );
        batch.forEach((entry, i) => entry.resolve(String(rows[i].id)));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
  }

  function schedule() {
    if (draining || scheduled) return;
    const wait = lastWrite + batchMs - performance.now();
    const start = () => {
      scheduled = false;
      draining = drain().finally(() => {
        draining = null;
        if (queue.length > 0) schedule();
      });
    };
    scheduled = true;
    // Never in the same turn: the update is applied and broadcast first (on PGlite the insert
    // runs on this thread), only its acknowledgement waits for the insert. Hocuspocus flushes
    // its broadcasts in a setImmediate queued after this one, hence the second hop.
    if (wait <= 0) setImmediate(() => setImmediate(start));
    else setTimeout(start, wait);
  }

  return {
    /** Resolves with the row's id once the update is in the database. */
    append(planId: string, update: Uint8Array): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        queue.push({ planId, update, resolve, reject });
        schedule();
      });
    },
    /** The plan's logged updates not yet compacted, oldest first. */
    async read(planId: string): Promise<LoggedUpdate[]> {
      const rows = await (await handle()).query<{ id: string | number | bigint; update: Uint8Array }>(
        "select id, update from private.lesson_plan_updates where plan_id = $1 order by id",
        [planId],
      );
      return rows.map((row) => ({ id: String(row.id), update: new Uint8Array(row.update) }));
    },
    /** Deletes rows the stored state now holds. */
    async remove(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await (await handle()).query("delete from private.lesson_plan_updates where id = any($1::bigint[])", [ids]);
    },
    /** Plans with updates not yet compacted (after a crash). */
    async plansWithUpdates(): Promise<string[]> {
      const rows = await (await handle()).query<{ plan_id: string }>("select distinct plan_id from private.lesson_plan_updates");
      return rows.map((row) => row.plan_id);
    },
  };
}

export type UpdateLog = ReturnType<typeof createUpdateLog>;

import type { DbHandle } from "~/db/client.server";

export interface LoggedUpdate {
  id: string;
  update: Uint8Array;
}

/**
 * The lesson plans' update log (private.lesson_plan_updates). Appends are group-committed: an
 * idle log writes an update at once; while busy, one statement starts at most every `batchMs`
 * with every update that arrived meanwhile, so two hundred editors cost at most
 * ~1000/batchMs statements a second instead of one per keystroke. Only acknowledgements wait
 * for the log, never the other editors.
 *
 * `npm run bench:collab`, 100 documents × 2 editors, p95 over bare Hocuspocus (medians of 4
 * rounds): 1.65× when PGlite ran on the server's thread and a statement held the event loop;
 * 1.43× with a 20 ms window; 1.06× with PGlite on its own thread (pglite-thread.server.ts)
 * and the window kept between statements (writing the next batch as soon as the previous one
 * returned sent ~100 statements a second, each a message to the database thread).
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
  /** When the oldest update in the queue arrived. */
  let oldest = 0;
  const BATCH = 512;

  /** Writes one batch (the updates of at least `batchMs`, see schedule). */
  async function drain() {
    const db = await handle();
    const batch = queue.slice(0, BATCH);
    queue = queue.slice(BATCH);
    oldest = performance.now();
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

  /**
   * A statement starts `batchMs` after the oldest update it carries arrived (or as soon as the
   * previous statement returns, if that took longer), never with another in flight. Waiting
   * even when the log is idle keeps the insert out of the milliseconds in which the update is
   * broadcast and read by the other editors (with two editors, an immediate insert's work
   * competed with their delivery for the machine's cores).
   */
  function schedule() {
    if (draining || scheduled) return;
    const wait = oldest + batchMs - performance.now();
    const start = () => {
      scheduled = false;
      draining = drain().finally(() => {
        draining = null;
        if (queue.length > 0) schedule();
      });
    };
    scheduled = true;
    // Never in the same turn: the update is applied and broadcast first, only its
    // acknowledgement waits for the insert.
    if (wait <= 0) setImmediate(start);
    else setTimeout(start, wait);
  }

  return {
    /** Resolves with the row's id once the update is in the database. */
    append(planId: string, update: Uint8Array): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        if (queue.length === 0) oldest = performance.now();
        queue.push({ planId, update, resolve, reject });
        schedule();
      });
    },
    /** The plan's logged updates not yet compacted, oldest first. */
    async read(planId: string): Promise<LoggedUpdate[]> {
      const rows = await (
        await handle()
      ).query<{ id: string | number | bigint; update: Uint8Array }>(
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

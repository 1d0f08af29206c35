import type { DbHandle } from "~/db/client.server";

export interface LoggedUpdate {
  id: string;
  update: Uint8Array;
}

/**
 * The lesson plans' update log (private.lesson_plan_updates). Appends are group-committed:
 * while one insert is in flight the next updates queue and go in together as one statement, so
 * many editors cost few round trips and an idle server writes each update at once.
 */
export function createUpdateLog(handle: () => Promise<DbHandle>) {
  interface Pending {
    planId: string;
    update: Uint8Array;
    resolve: (id: string) => void;
    reject: (error: unknown) => void;
  }
  let queue: Pending[] = [];
  let draining: Promise<void> | null = null;
  const BATCH = 256;

  async function drain() {
    const db = await handle();
    while (queue.length > 0) {
      const batch = queue.slice(0, BATCH);
      queue = queue.slice(BATCH);
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

  return {
    /** Resolves with the row's id once the update is in the database. */
    append(planId: string, update: Uint8Array): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        queue.push({ planId, update, resolve, reject });
        draining ??= drain().finally(() => {
          draining = null;
        });
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

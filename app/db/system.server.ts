import { sql } from "drizzle-orm";
import type { Database, Transaction } from "./client.server";

/**
 * The one door for system work that no user asked for — migrations and the seed
 * (`migrate`), and later LiveKit webhooks and scheduled jobs — as the `service_role`,
 * which bypasses row-level security. Nothing a user initiates may come through here:
 * ESLint refuses imports of this module everywhere in app/ but the database layer, the
 * server's start-up and the named system jobs (eslint.config.mjs).
 */
export { migrate } from "./migrate.server";

export async function withServiceRole<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('role', 'service_role', true), set_config('request.jwt.claims', ${JSON.stringify({ role: "service_role" })}, true)`,
    );
    return work(tx);
  });
}

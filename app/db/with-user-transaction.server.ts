import { sql } from "drizzle-orm";
import type { Database, Transaction } from "./client.server";
import type { JwtClaims } from "./types";

/**
 * Runs `work` as the signed-in user (or anonymously with `null`): the transaction takes
 * the role `authenticated` (or `anon`) and the user's JWT claims, as PostgREST does on
 * Supabase, so row-level security decides what is read and written.
 */
export async function withUserTransaction<T>(
  db: Database | Promise<Database>,
  claims: JwtClaims | null,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const role = claims ? "authenticated" : "anon";
  const jwt = claims ?? { role: "anon" };
  return (await db).transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${JSON.stringify(jwt)}, true)`);
    return work(tx);
  });
}

import type { SQL } from "drizzle-orm";
import type { Transaction } from "./client.server";

/**
 * Raw SQL through drizzle, with one result shape: drizzle's PGlite driver answers
 * `{ rows }`, its postgres.js driver an array.
 */
export async function selectRows<T>(tx: Transaction, query: SQL): Promise<T[]> {
  const result: unknown = await tx.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

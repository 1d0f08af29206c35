import { findPgError, PG_INSUFFICIENT_PRIVILEGE, PG_UNIQUE_VIOLATION } from "~/db/pg-error";

/**
 * The translated form error for a write the database refused for a reason a person can
 * act on; anything else is rethrown (logged, and shown as the generic error page).
 */
export function refusalKey(error: unknown, duplicateKey: string): string {
  const pg = findPgError(error);
  if (pg?.code === PG_UNIQUE_VIOLATION) return duplicateKey;
  if (pg?.code === PG_INSUFFICIENT_PRIVILEGE) return "errors:forbidden.body";
  throw error;
}

import { refusalOf } from "~/db/refusals";

/**
 * The translated form error for a write the database refused for a reason a person can
 * act on (the form's own words for a duplicate); anything else is rethrown (logged, and shown
 * as the generic error page).
 */
export function refusalKey(error: unknown, duplicateKey: string): string {
  const refusal = refusalOf(error, "forms", { duplicate: duplicateKey });
  if (!refusal) throw error;
  return refusal.key;
}

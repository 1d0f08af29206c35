import { expect } from "vitest";

import { findPgError } from "../../app/db/pg-error";

export { findPgError, type PgErrorFields } from "../../app/db/pg-error";

/** Asserts that `promise` fails with this SQLSTATE and a message equal to (or matching) `message`. */
export async function expectPgError(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  const outcome = await promise.then(
    () => ({ failed: false as const }),
    (error: unknown) => ({ failed: true as const, error }),
  );
  if (!outcome.failed) throw new Error(`Expected SQLSTATE ${code} (${String(message)}), but the statement succeeded`);
  const pgError = findPgError(outcome.error);
  if (!pgError) throw new Error(`Expected SQLSTATE ${code}, got an error without one`, { cause: outcome.error });
  expect({ code: pgError.code, message: pgError.message }).toEqual({
    code,
    message: typeof message === "string" ? message : expect.stringMatching(message),
  });
}

/** The message PostgreSQL gives when a new row fails a policy's WITH CHECK (or an INSERT finds no policy). */
export const rlsViolation = (table: string) => `new row violates row-level security policy for table "${table}"`;

/** The message for a statement the role has no grant for (table or column privileges). */
export const permissionDenied = (table: string) => `permission denied for table ${table}`;

import { expect } from "vitest";

export interface PgErrorFields {
  code: string;
  message: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The PostgreSQL error behind `error`: PGlite and postgres.js both put the SQLSTATE in
 * `.code`, and drizzle wraps the driver's error in a DrizzleQueryError's `.cause`.
 */
export function findPgError(error: unknown): PgErrorFields | undefined {
  const seen = new Set<unknown>();
  let current = error;
  while (current !== null && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && SQLSTATE.test(code) && typeof message === "string") return { code, message };
    current = cause;
  }
  return undefined;
}

/** Asserts that `promise` fails with this SQLSTATE and a message equal to (or matching) `message`. */
export async function expectPgError(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  const outcome = await promise.then(
    () => ({ failed: false as const }),
    (error: unknown) => ({ failed: true as const, error }),
  );
  if (!outcome.failed) throw new Error(`Expected SQLSTATE ${code} (${String(message)}), but the statement succeeded`);
  const pgError = findPgError(outcome.error);
  if (!pgError) throw new Error(`Expected SQLSTATE ${code}, got an error without one`, { cause: outcome.error });
  expect(pgError).toEqual({ code, message: typeof message === "string" ? message : expect.stringMatching(message) });
}

/** The message PostgreSQL gives when a new row fails a policy's WITH CHECK (or an INSERT finds no policy). */
export const rlsViolation = (table: string) => `new row violates row-level security policy for table "${table}"`;

/** The message for a statement the role has no grant for (table or column privileges). */
export const permissionDenied = (table: string) => `permission denied for table ${table}`;

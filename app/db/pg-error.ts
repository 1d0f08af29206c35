export interface PgErrorFields {
  code: string;
  message: string;
  constraint?: string;
  /** The DETAIL of a raised exception (e.g. the booking a clash names). */
  detail?: string;
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
    if (typeof code === "string" && SQLSTATE.test(code) && typeof message === "string") {
      const { constraint, constraint_name } = current as { constraint?: unknown; constraint_name?: unknown };
      const name = typeof constraint === "string" ? constraint : typeof constraint_name === "string" ? constraint_name : undefined;
      const { detail } = current as { detail?: unknown };
      return {
        code,
        message,
        ...(name ? { constraint: name } : {}),
        ...(typeof detail === "string" && detail ? { detail } : {}),
      };
    }
    current = cause;
  }
  return undefined;
}

import { integer, pgSchema, text, timestamp } from "drizzle-orm/pg-core";
import { RateLimiterDrizzle, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { DbHandle } from "~/db/client.server";
import { AuthHttpError } from "./errors.server";

/**
 * Limits on failed password sign-ins. `points` failures in a row for one address from one
 * client IP block that pair for `durationSeconds`. From everywhere together, an address gets
 * `points` free attempts an hour and then slows down: one attempt per 1, 2, 4 … seconds, at
 * most one a minute (`maxDelaySeconds`) — the owner waits seconds, never a lockout, while a
 * spray across many addresses gets a few dozen guesses an hour. `ipPoints` failures in
 * `ipDurationSeconds` from one IP, whatever the addresses, block the IP: high enough that a
 * school behind one NAT address never reaches it by mistyping, low enough to stop a spray.
 */
export interface SignInRateLimit {
  points: number;
  durationSeconds: number;
  /** Default: 100. */
  ipPoints?: number;
  /** Default: an hour. */
  ipDurationSeconds?: number;
  /** The longest wait between attempts on one address once it slows down; default 60. */
  maxDelaySeconds?: number;
}

/** Injectable limiters (by default in the database). */
export interface SignInLimiters {
  byEmailAndIp: RateLimiterAbstract;
  byIp: RateLimiterAbstract;
  /** Attempts on an address from anywhere, this hour (reserved before the check: counts what is in flight). */
  byEmail: RateLimiterAbstract;
  /** Wrong passwords checked for an address, this hour: what the delay grows with. */
  failures: RateLimiterAbstract;
  /** One point per address, held for the current delay once it slows down. */
  slowDown: RateLimiterAbstract;
  /** Free attempts per address before slowing down. */
  freeAttempts: number;
  maxDelaySeconds: number;
}

export const DEFAULT_SIGN_IN_RATE_LIMIT: SignInRateLimit = { points: 5, durationSeconds: 15 * 60 };

const ipLimit = (limit: SignInRateLimit) => ({ points: limit.ipPoints ?? 100, durationSeconds: limit.ipDurationSeconds ?? 60 * 60 });

/** supabase/local/bootstrap.sql's auth.tongke_sign_in_limits, as RateLimiterDrizzle reads it. */
const signInLimits = pgSchema("auth").table("tongke_sign_in_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: timestamp("expire", { withTimezone: true }),
});

/**
 * One limiter whose counts live in auth.tongke_sign_in_limits: every app server on the database
 * shares them and a restart forgets nothing. `sweep`: this limiter also clears the table's rows
 * expired over an hour ago, every 5 minutes (an unref'd timer); one sweeper is enough for the table.
 */
export function databaseLimiter(
  handle: DbHandle,
  options: { keyPrefix: string; points: number; durationSeconds: number; sweep?: boolean },
): RateLimiterAbstract {
  return new RateLimiterDrizzle({
    storeClient: handle.db,
    schema: signInLimits,
    clearExpiredByTimeout: options.sweep ?? false,
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
  });
}

/** The sign-in limiters, in the database (see databaseLimiter); the first keeps the table swept. */
export function createDatabaseLimiters(handle: DbHandle, limit: SignInRateLimit = DEFAULT_SIGN_IN_RATE_LIMIT): SignInLimiters {
  const hour = 60 * 60;
  return {
    byEmailAndIp: databaseLimiter(handle, {
      keyPrefix: "signin-email-ip",
      points: limit.points,
      durationSeconds: limit.durationSeconds,
      sweep: true,
    }),
    byIp: databaseLimiter(handle, { keyPrefix: "signin-ip", ...ipLimit(limit) }),
    // Counts attempts, never refuses: the slow-down decides.
    byEmail: databaseLimiter(handle, { keyPrefix: "signin-email", points: 1_000_000, durationSeconds: hour }),
    failures: databaseLimiter(handle, { keyPrefix: "signin-failed", points: 1_000_000, durationSeconds: hour }),
    slowDown: databaseLimiter(handle, { keyPrefix: "signin-slow", points: 1, durationSeconds: 1 }),
    freeAttempts: limit.points,
    maxDelaySeconds: limit.maxDelaySeconds ?? 60,
  };
}

const overLimit = (msBeforeNext: number) =>
  new AuthHttpError(429, "over_request_rate_limit", "Request rate limit reached", {
    retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)),
  });

/**
 * Failed-sign-in accounting. `reserve` counts the attempt as a failure *before* the password
 * is checked (atomically, in the store), so parallel guesses cannot slip past the limits and a
 * refused caller costs no bcrypt work; a correct password then gives the attempt back
 * (`succeeded`: the address's counts are cleared, the IP's attempt returned).
 */
export function createSignInGuard(limiters: SignInLimiters) {
  const consume = async (limiter: RateLimiterAbstract, key: string, options?: { customDuration: number }) => {
    try {
      return { res: await limiter.consume(key, 1, options), refused: null };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { res: null, refused: rejection };
      throw rejection;
    }
  };
  /** How long the next attempt holds the gate, after `failed` wrong passwords: 1, 2, 4 … seconds, capped. */
  const delaySeconds = (failed: number) => Math.max(1, Math.min(2 ** (failed - limiters.freeAttempts), limiters.maxDelaySeconds));

  return {
    async reserve(rawEmail: string, ip: string) {
      const email = rawEmail.trim().toLowerCase();
      const pair = `${email}|${ip}`;
      const [byPair, byIp] = await Promise.all([consume(limiters.byEmailAndIp, pair), consume(limiters.byIp, ip)]);
      if (byPair.refused || byIp.refused) {
        // A refused attempt checks no password: it counts only where it was refused.
        await Promise.all([byPair.refused ? null : limiters.byEmailAndIp.reward(pair), byIp.refused ? null : limiters.byIp.reward(ip)]);
        throw overLimit(Math.max(byPair.refused?.msBeforeNext ?? 0, byIp.refused?.msBeforeNext ?? 0));
      }
      const attempt = (await limiters.byEmail.consume(email)).consumedPoints;
      if (attempt > limiters.freeAttempts) {
        // The delay grows with the wrong passwords actually checked, not with attempts still in flight.
        const failed = (await limiters.failures.get(email))?.consumedPoints ?? 0;
        const slow = await consume(limiters.slowDown, email, { customDuration: delaySeconds(failed) });
        if (slow.refused) {
          await Promise.all([limiters.byEmailAndIp.reward(pair), limiters.byIp.reward(ip), limiters.byEmail.reward(email)]);
          throw overLimit(slow.refused.msBeforeNext);
        }
      }
      return {
        async failed() {
          await limiters.failures.consume(email);
        },
        async succeeded() {
          await Promise.all([
            limiters.byEmailAndIp.delete(pair),
            limiters.byIp.reward(ip),
            limiters.byEmail.delete(email),
            limiters.failures.delete(email),
            limiters.slowDown.delete(email),
          ]);
        },
      };
    },
  };
}

export type SignInGuard = ReturnType<typeof createSignInGuard>;

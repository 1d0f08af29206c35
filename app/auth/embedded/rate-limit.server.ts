import { integer, pgSchema, text, timestamp } from "drizzle-orm/pg-core";
import { RateLimiterDrizzle, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { DbHandle } from "~/db/client.server";
import { AuthHttpError } from "./errors.server";

/**
 * Limits on failed password sign-ins. `points` failures in a row for one address from one
 * client IP block that pair for `durationSeconds` — the owner signing in from anywhere else
 * is not locked out by someone guessing. `ipPoints` failures in `ipDurationSeconds` from one
 * IP, whatever the addresses, block the IP: high enough that a school behind one NAT address
 * never reaches it by mistyping, low enough to stop trying passwords across many accounts.
 */
export interface SignInRateLimit {
  points: number;
  durationSeconds: number;
  /** Default: 100. */
  ipPoints?: number;
  /** Default: an hour. */
  ipDurationSeconds?: number;
}

/** Injectable limiters (by default in the database). */
export interface SignInLimiters {
  byEmailAndIp: RateLimiterAbstract;
  byIp: RateLimiterAbstract;
}

export const DEFAULT_SIGN_IN_RATE_LIMIT: SignInRateLimit = { points: 5, durationSeconds: 15 * 60 };

const ipLimit = (limit: SignInRateLimit) => ({ points: limit.ipPoints ?? 100, duration: limit.ipDurationSeconds ?? 60 * 60 });

/** supabase/local/bootstrap.sql's auth.tongke_sign_in_limits, as RateLimiterDrizzle reads it. */
const signInLimits = pgSchema("auth").table("tongke_sign_in_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: timestamp("expire", { withTimezone: true }),
});

/** Counters in the app's database: they survive restarts and are shared by every app server on one PostgreSQL. */
export function createDatabaseLimiters(handle: DbHandle, limit: SignInRateLimit = DEFAULT_SIGN_IN_RATE_LIMIT): SignInLimiters {
  const common = { storeClient: handle.db, schema: signInLimits, clearExpiredByTimeout: false };
  return {
    byEmailAndIp: new RateLimiterDrizzle({ ...common, keyPrefix: "signin-email-ip", points: limit.points, duration: limit.durationSeconds }),
    byIp: new RateLimiterDrizzle({ ...common, keyPrefix: "signin-ip", ...ipLimit(limit) }),
  };
}

const overLimit = (msBeforeNext: number) =>
  new AuthHttpError(429, "over_request_rate_limit", "Request rate limit reached", {
    retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)),
  });

/**
 * Failed-sign-in accounting. `reserve` counts the attempt as a failure *before* the password
 * is checked (atomically, in the store), so parallel guesses cannot slip past the limit and a
 * blocked caller costs no bcrypt work; a correct password then gives the attempt back
 * (`succeeded`: the pair's counter is cleared, the IP's attempt returned).
 */
export function createSignInGuard(limiters: SignInLimiters) {
  const consume = async (limiter: RateLimiterAbstract, key: string) => {
    try {
      await limiter.consume(key);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return rejection;
      throw rejection;
    }
  };
  return {
    async reserve(email: string, ip: string) {
      const pair = `${email.trim().toLowerCase()}|${ip}`;
      const [byPair, byIp] = await Promise.all([consume(limiters.byEmailAndIp, pair), consume(limiters.byIp, ip)]);
      if (byPair || byIp) {
        // A refused attempt checks no password: it only counts where it was refused.
        await Promise.all([byPair ? null : limiters.byEmailAndIp.reward(pair), byIp ? null : limiters.byIp.reward(ip)]);
        throw overLimit(Math.max(byPair?.msBeforeNext ?? 0, byIp?.msBeforeNext ?? 0));
      }
      return {
        async succeeded() {
          await Promise.all([limiters.byEmailAndIp.delete(pair), limiters.byIp.reward(ip)]);
        },
      };
    },
  };
}

export type SignInGuard = ReturnType<typeof createSignInGuard>;

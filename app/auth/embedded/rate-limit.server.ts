import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AuthHttpError } from "./errors.server";

/** Limits on failed password sign-ins; `points` failures per email, `ipPoints` per client IP. */
export interface SignInRateLimit {
  points: number;
  durationSeconds: number;
  /** Default: 4 × points (20 with the default 5). */
  ipPoints?: number;
}

/** Injectable limiters (e.g. RateLimiterRedis for several app instances). */
export interface SignInLimiters {
  byEmail: RateLimiterAbstract;
  byIp: RateLimiterAbstract;
}

export const DEFAULT_SIGN_IN_RATE_LIMIT: SignInRateLimit = { points: 5, durationSeconds: 15 * 60 };

export function createMemoryLimiters(limit: SignInRateLimit = DEFAULT_SIGN_IN_RATE_LIMIT): SignInLimiters {
  return {
    byEmail: new RateLimiterMemory({ keyPrefix: "signin-email", points: limit.points, duration: limit.durationSeconds }),
    byIp: new RateLimiterMemory({
      keyPrefix: "signin-ip",
      points: limit.ipPoints ?? limit.points * 4,
      duration: limit.durationSeconds,
    }),
  };
}

const overLimit = (msBeforeNext: number) =>
  new AuthHttpError(429, "over_request_rate_limit", "Request rate limit reached", {
    retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)),
  });

/**
 * Failed-sign-in accounting: `assertAllowed` before checking a password (so a blocked
 * caller costs no bcrypt work), `recordFailure` after a wrong one, `recordSuccess` clears
 * the email's counter (not the IP's).
 */
export function createSignInGuard(limiters: SignInLimiters) {
  const keys = (email: string, ip: string) => ({ email: email.trim().toLowerCase(), ip });
  return {
    async assertAllowed(email: string, ip: string): Promise<void> {
      const k = keys(email, ip);
      const [byEmail, byIp] = await Promise.all([limiters.byEmail.get(k.email), limiters.byIp.get(k.ip)]);
      const blocked = [
        { res: byEmail, points: limiters.byEmail.points },
        { res: byIp, points: limiters.byIp.points },
      ].filter(({ res, points }) => res !== null && res.consumedPoints >= points);
      if (blocked.length > 0) throw overLimit(Math.max(...blocked.map(({ res }) => res!.msBeforeNext)));
    },
    async recordFailure(email: string, ip: string): Promise<void> {
      const k = keys(email, ip);
      const swallowRejection = (error: unknown) => {
        if (!(error instanceof RateLimiterRes)) throw error;
      };
      await Promise.all([
        limiters.byEmail.consume(k.email).catch(swallowRejection),
        limiters.byIp.consume(k.ip).catch(swallowRejection),
      ]);
    },
    async recordSuccess(email: string): Promise<void> {
      await limiters.byEmail.delete(keys(email, "").email);
    },
  };
}

export type SignInGuard = ReturnType<typeof createSignInGuard>;

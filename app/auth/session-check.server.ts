import type { DbHandle } from "~/db/client.server";
import type { JwtClaims } from "~/db/types";

/** The longest a "this session is still live" answer is trusted: sign-out everywhere takes effect within it. */
export const MAX_SESSION_CHECK_MS = 30_000;

/** Whether Auth still has the access token's session: true, false, or null when it cannot tell now. */
export type SessionLookup = (claims: JwtClaims, accessToken: string) => Promise<boolean | null>;

export interface SessionCheck {
  /** How long an answer is cached; open collaboration connections are re-checked this often too. */
  readonly ttlMs: number;
  /**
   * Whether the session behind a verified access token is still live in Auth (not signed out,
   * not ended by refresh-token reuse or a password change, user neither deleted nor banned).
   * `fresh` skips the cache. When Auth cannot be asked, the answer is yes and is not cached.
   */
  isLive(claims: JwtClaims, accessToken: string, options?: { fresh?: boolean }): Promise<boolean>;
  /**
   * Drops what is cached about one session (or, with `everySession`, all of the user's) after
   * this process ended it, so its copies stop working here at once rather than within `ttlMs`.
   */
  forget(claims: Pick<JwtClaims, "sub" | "session_id">, options?: { everySession?: boolean }): void;
}

/**
 * Sessions as Auth keeps them, asked at most once per `ttlMs` (≤ 30 s) per session;
 * concurrent requests of one session share one lookup.
 */
export function createSessionCheck(lookup: SessionLookup, options: { ttlMs?: number } = {}): SessionCheck {
  const ttlMs = Math.max(0, Math.min(options.ttlMs ?? MAX_SESSION_CHECK_MS, MAX_SESSION_CHECK_MS));
  const answers = new Map<string, { live: boolean; at: number }>();
  const inFlight = new Map<string, Promise<boolean>>();

  function forgetOld(now: number) {
    if (answers.size < 10_000) return;
    for (const [key, answer] of answers) if (now - answer.at >= ttlMs) answers.delete(key);
  }

  const keyOf = (claims: Pick<JwtClaims, "sub" | "session_id">) => `${claims.sub}/${claims.session_id ?? ""}`;

  return {
    ttlMs,
    forget(claims, { everySession = false } = {}) {
      if (!everySession) return void answers.delete(keyOf(claims));
      for (const key of answers.keys()) if (key.startsWith(`${claims.sub}/`)) answers.delete(key);
    },
    async isLive(claims, accessToken, { fresh = false } = {}) {
      const key = keyOf(claims);
      const cached = answers.get(key);
      if (!fresh && cached && Date.now() - cached.at < ttlMs) return cached.live;
      const running = inFlight.get(key);
      if (running) return running;
      const started = Date.now();
      const asking = lookup(claims, accessToken)
        .catch(() => null)
        .then((live) => {
          if (live === null) return true;
          forgetOld(started);
          answers.set(key, { live, at: started });
          return live;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, asking);
      return asking;
    },
  };
}

/**
 * The embedded Auth's sessions, read from auth.sessions in the app's own database: the row
 * exists (sign-out, refresh-token reuse and password changes delete it), has not passed its
 * not_after, and its user is neither deleted nor banned.
 */
export function databaseSessionLookup(handle: () => Promise<DbHandle>): SessionLookup {
  return async (claims) => {
    if (!claims.session_id) return false;
    const db = await handle();
    const rows = await db.query<{ live: boolean }>(
      `select exists (
         select 1 from auth.sessions s join auth.users u on u.id = s.user_id
          where s.id = $1::uuid and s.user_id = $2::uuid and (s.not_after is null or s.not_after > now())
            and u.deleted_at is null and (u.banned_until is null or u.banned_until <= now())) as live`,
      [claims.session_id, claims.sub],
    );
    return rows[0]?.live === true;
  };
}

/**
 * Supabase Auth's own answer: GET /auth/v1/user with the token, which GoTrue refuses once the
 * token's session is gone (403 session_not_found) or its user is (user_not_found). An expired
 * token cannot be asked about (null), nor can an Auth that does not answer.
 */
export function authServerSessionLookup(options: { supabaseUrl: string; anonKey: string }): SessionLookup {
  const url = new URL("/auth/v1/user", options.supabaseUrl).toString();
  return async (claims, accessToken) => {
    if (typeof claims.exp === "number" && claims.exp * 1000 <= Date.now()) return null;
    const response = await fetch(url, {
      headers: { apikey: options.anonKey, authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(5_000),
    }).catch(() => null);
    if (!response) return null;
    await response.body?.cancel();
    if (response.ok) return true;
    return response.status === 401 || response.status === 403 || response.status === 404 ? false : null;
  };
}

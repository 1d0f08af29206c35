import { isIP } from "node:net";
import { randomUUID } from "node:crypto";
import type { Request } from "express";
import type { DbHandle } from "~/db/client.server";
import { buildAccessTokenClaims, newRefreshToken, signJwt, tokenResponse } from "./tokens.server";
import { findUserById, toUserJson, type UserRow } from "./users.server";

/** What every embedded-auth module needs from the router's options. */
export interface AuthContext {
  handle: DbHandle;
  jwtSecret: string;
  issuer: string;
  accessTokenTtlSeconds: number;
  refreshTokenReuseIntervalSeconds: number;
}

export const INSTANCE_ID = "00000000-0000-0000-0000-000000000000";

/** The client's address and agent as GoTrue records them on a session. */
export function clientInfo(req: Request): { ip: string | null; userAgent: string | null } {
  const ip = req.ip && isIP(req.ip) ? req.ip : null;
  return { ip, userAgent: req.get("user-agent") ?? null };
}

/** Signs an access token for a session and builds the token endpoint's answer. */
export async function respondWithTokens(
  ctx: AuthContext,
  user: UserRow,
  session: { id: string; createdAt: Date; method?: "password" | "otp" },
  refreshToken: string,
  weakPassword?: { message: string; reasons: string[] },
) {
  const claims = buildAccessTokenClaims({
    user,
    sessionId: session.id,
    sessionCreatedAt: session.createdAt,
    method: session.method,
    issuer: ctx.issuer,
    issuedAt: Math.floor(Date.now() / 1000),
    ttlSeconds: ctx.accessTokenTtlSeconds,
  });
  const accessToken = await signJwt(claims, ctx.jwtSecret);
  return tokenResponse({ accessToken, claims, refreshToken, user: toUserJson(user), weakPassword });
}

/**
 * GoTrue's IssueRefreshToken for a password sign-in, in one statement: a new auth.sessions
 * row, its first refresh token, and the user's last_sign_in_at.
 */
export async function startSession(ctx: AuthContext, req: Request, userId: string) {
  const sessionId = randomUUID();
  const refreshToken = newRefreshToken();
  const { ip, userAgent } = clientInfo(req);
  const [row] = await ctx.handle.query<{ created_at: Date | string }>(
    `with s as (
       insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
       values ($1::uuid, $2::uuid, now(), now(), 'aal1', $3, $4::inet)
       returning id, user_id, created_at),
     rt as (
       insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, session_id)
       select $6::uuid, $5, s.user_id::text, false, now(), now(), s.id from s
       returning id),
     u as (
       update auth.users set last_sign_in_at = now(), updated_at = now() where id = $2::uuid returning id)
     select s.created_at from s, u, rt`,
    [sessionId, userId, userAgent, ip, refreshToken, INSTANCE_ID],
  );
  if (!row) throw new Error("The session could not be created");
  const user = await findUserById(ctx.handle, userId);
  if (!user) throw new Error("The user disappeared while signing in");
  return { user, session: { id: sessionId, createdAt: new Date(row.created_at) }, refreshToken };
}

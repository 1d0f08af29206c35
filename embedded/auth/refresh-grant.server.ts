import type { Request } from "express";
import { z } from "zod";
import { validateParams } from "./body.server";
import { AuthHttpError, badRequest } from "./errors.server";
import { SESSION_INACTIVITY_SECONDS } from "~/auth/session-lifetime";
import { clientInfo, INSTANCE_ID, respondWithTokens, type AuthContext } from "./sessions.server";
import { newRefreshToken } from "./tokens.server";
import { findUserById, isBanned } from "./users.server";

const RefreshParams = z.object({ refresh_token: z.string().optional() });

interface Found {
  id: string;
  revoked: boolean;
  session_id: string | null;
  has_session: boolean;
  session_created_at: Date | string | null;
  session_expired: boolean;
  within_reuse: boolean;
  user_id: string | null;
  banned_until: Date | string | null;
}

async function lookup(ctx: AuthContext, token: string): Promise<Found | null> {
  const rows = await ctx.handle.query<Found>(
    `select rt.id::text as id, rt.revoked, rt.session_id::text as session_id,
            s.id is not null as has_session, s.created_at as session_created_at,
            (coalesce(s.not_after < now(), false)
              or coalesce(s.updated_at, s.created_at) + make_interval(secs => $3::float8) < now()) as session_expired,
            (now() - rt.updated_at) < make_interval(secs => $2::float8) as within_reuse,
            u.id::text as user_id, u.banned_until
       from auth.refresh_tokens rt
       left join auth.sessions s on s.id = rt.session_id
       left join auth.users u on u.id::text = rt.user_id and u.deleted_at is null
      where rt.token = $1`,
    [token, ctx.refreshTokenReuseIntervalSeconds, SESSION_INACTIVITY_SECONDS],
  );
  return rows[0] ?? null;
}

/** Revokes the token and issues its child in one statement; null when another request won. */
async function rotate(ctx: AuthContext, req: Request, tokenId: string): Promise<string | null> {
  const { ip, userAgent } = clientInfo(req);
  const [row] = await ctx.handle.query<{ token: string | null }>(
    `with old as (
       update auth.refresh_tokens set revoked = true, updated_at = now()
        where id = $1::bigint and revoked = false
        returning token, user_id, session_id),
     child as (
       insert into auth.refresh_tokens (instance_id, token, user_id, revoked, parent, session_id, created_at, updated_at)
       select $3::uuid, $2, old.user_id, false, old.token, old.session_id, now(), now() from old
       returning token),
     s as (
       update auth.sessions set refreshed_at = timezone('utc', now()), updated_at = now(), user_agent = $4, ip = $5::inet
        where id = (select session_id from old)
        returning id)
     select (select token from child) as token, (select count(*) from s) as sessions`,
    [tokenId, newRefreshToken(), INSTANCE_ID, userAgent, ip],
  );
  return row?.token ?? null;
}

/**
 * POST /token?grant_type=refresh_token with rotation. A revoked token used again within the
 * reuse interval (a client that lost the previous answer, or concurrent tabs) gets the
 * session's current token back; later, it is treated as theft: the whole session ends
 * (all its refresh tokens and access tokens stop working) and the answer is
 * refresh_token_already_used.
 */
export async function refreshGrant(ctx: AuthContext, req: Request, body: Record<string, unknown>) {
  const params = validateParams(body, RefreshParams);
  const token = params.refresh_token ?? "";
  if (token === "") throw badRequest("validation_failed", "refresh_token required");

  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await lookup(ctx, token);
    if (!found || found.user_id === null) {
      throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }
    if (isBanned(found)) throw badRequest("user_banned", "Invalid Refresh Token: User Banned");
    if (!found.has_session || found.session_id === null) {
      await ctx.handle.query(`delete from auth.refresh_tokens where id = $1::bigint`, [found.id]);
      throw badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found");
    }
    if (found.session_expired) throw badRequest("session_expired", "Invalid Refresh Token: Session Expired");

    let issued: string | null = null;
    if (!found.revoked) {
      issued = await rotate(ctx, req, found.id);
      if (issued === null) continue; // revoked meanwhile by a concurrent refresh: look again
    } else {
      if (found.within_reuse) {
        const [active] = await ctx.handle.query<{ token: string }>(
          `select token from auth.refresh_tokens where session_id = $1::uuid and revoked = false order by id desc limit 1`,
          [found.session_id],
        );
        issued = active?.token ?? null;
      }
      if (issued === null) {
        await ctx.handle.query(`delete from auth.sessions where id = $1::uuid`, [found.session_id]);
        throw badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used");
      }
    }
    const user = await findUserById(ctx.handle, found.user_id);
    if (!user) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    const session = { id: found.session_id, createdAt: new Date(found.session_created_at ?? Date.now()) };
    return respondWithTokens(ctx, user, session, issued);
  }
  throw new AuthHttpError(409, "conflict", "Too many concurrent token refresh requests on the same session or refresh token");
}

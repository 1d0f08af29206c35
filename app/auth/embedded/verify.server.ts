import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import { readBody, validateParams } from "./body.server";
import { normaliseEmail } from "./credentials.server";
import { AuthHttpError, badRequest, forbidden } from "./errors.server";
import { generateTokenHash } from "./invite.server";
import { referrer } from "./referrer.server";
import { clientInfo, INSTANCE_ID, respondWithTokens, type AuthContext } from "./sessions.server";
import { newRefreshToken } from "./tokens.server";
import { findUserById, isBanned } from "./users.server";

/**
 * The verification types this server answers. All three resolve a token stored in
 * confirmation_token — the only kind of token it issues (invitations): "invite" and
 * "signup" as in GoTrue, "email" (GoTrue's combined type) as a signup confirmation.
 * recovery, magiclink and email_change links are never sent by this server, and phone
 * OTPs are off: those types are 400 validation_failed.
 */
export const VERIFY_TYPES = ["invite", "signup", "email"] as const;
const GOTRUE_TYPES = new Set(["signup", "invite", "recovery", "magiclink", "email_change", "email", "sms", "phone_change"]);

/** Invitations stay valid for 24 hours (GoTrue's MAILER_OTP_EXP defaults to 1 hour). */
export const DEFAULT_INVITATION_TTL_SECONDS = 24 * 60 * 60;

const VerifyParams = z
  .object({
    type: z.string().optional(),
    token: z.string().optional(),
    token_hash: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    redirect_to: z.string().optional(),
  })
  .passthrough();

export const LINK_INVALID = "Email link is invalid or has expired";
const linkInvalid = () => forbidden("otp_expired", LINK_INVALID);
const tokenInvalid = () => forbidden("otp_expired", "Token has expired or is invalid");

export interface VerifyOptions {
  invitationTtlSeconds: number;
  /** Failed verifications per client IP: default 30 per 5 minutes (GoTrue's token_verifications). */
  rateLimit?: { points: number; durationSeconds: number };
  siteUrl: string;
}

interface Candidate {
  id: string;
  confirmation_token: string | null;
  banned_until: Date | string | null;
  expired: boolean;
}

const CANDIDATE = `select id::text as id, confirmation_token, banned_until,
  coalesce(confirmation_sent_at + make_interval(secs => $2::float8) < now(), true) as expired
  from auth.users`;

export function createVerifier(ctx: AuthContext, options: VerifyOptions) {
  const limit = options.rateLimit ?? { points: 30, durationSeconds: 5 * 60 };
  const failures = new RateLimiterMemory({ keyPrefix: "verify-ip", points: limit.points, duration: limit.durationSeconds });
  const ipOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";

  async function guarded<T>(req: Request, work: () => Promise<T>): Promise<T> {
    const ip = ipOf(req);
    const seen = await failures.get(ip);
    if (seen && seen.consumedPoints >= limit.points) {
      throw new AuthHttpError(429, "over_request_rate_limit", "Request rate limit reached", {
        retryAfterSeconds: Math.max(1, Math.ceil(seen.msBeforeNext / 1000)),
      });
    }
    try {
      return await work();
    } catch (error) {
      if (error instanceof AuthHttpError && error.code === "otp_expired") {
        await failures.consume(ip).catch((rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
        });
      }
      throw error;
    }
  }

  function checkType(type: string) {
    if (!GOTRUE_TYPES.has(type)) throw badRequest("validation_failed", "Invalid email verification type");
    if (!(VERIFY_TYPES as readonly string[]).includes(type)) throw badRequest("validation_failed", "Unsupported verification type");
  }

  /** GoTrue's verifyTokenHash for the types above: the user whose confirmation token this is. */
  async function byTokenHash(type: string, tokenHash: string): Promise<string> {
    checkType(type);
    const [found] = await ctx.handle.query<Candidate>(
      `${CANDIDATE} where confirmation_token = $1 and confirmation_token <> '' and is_sso_user = false`,
      [tokenHash, options.invitationTtlSeconds],
    );
    if (!found) throw linkInvalid();
    if (isBanned(found)) throw forbidden("user_banned", "User is banned");
    if (found.expired) throw linkInvalid();
    return found.id;
  }

  /** GoTrue's verifyUserAndToken for an emailed code: the hash of address + code must match. */
  async function byEmailAndCode(type: string, rawEmail: string, token: string): Promise<{ id: string; tokenHash: string }> {
    checkType(type);
    const email = normaliseEmail(rawEmail);
    if (!email) throw new AuthHttpError(422, "validation_failed", "Invalid email format");
    const tokenHash = generateTokenHash(email, token);
    const [found] = await ctx.handle.query<Candidate>(
      `${CANDIDATE} where lower(email) = $1 and aud = 'authenticated' and is_sso_user = false`,
      [email, options.invitationTtlSeconds],
    );
    if (!found) throw tokenInvalid();
    if (isBanned(found)) throw forbidden("user_banned", "User is banned");
    if (found.expired || !found.confirmation_token || found.confirmation_token !== tokenHash) throw tokenInvalid();
    return { id: found.id, tokenHash };
  }

  /**
   * GoTrue's signupVerify + issueRefreshToken in one statement: the token is used up, the
   * address confirmed (and its identity marked verified), a session and its first refresh
   * token created. Two requests with one token: one wins, the other finds no token.
   */
  async function confirmAndStartSession(req: Request, userId: string, tokenHash: string, failure: () => AuthHttpError) {
    const sessionId = randomUUID();
    const refreshToken = newRefreshToken();
    const { ip, userAgent } = clientInfo(req);
    const [row] = await ctx.handle.query<{ created_at: Date | string }>(
      `with u as (
         update auth.users
            set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
                last_sign_in_at = now(), updated_at = now()
          where id = $1::uuid and confirmation_token = $2 and confirmation_sent_at + make_interval(secs => $3::float8) >= now()
          returning id, email),
       i as (
         update auth.identities x set identity_data = x.identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
           from u where x.user_id = u.id and x.provider = 'email' and lower(x.identity_data ->> 'email') = lower(u.email)
         returning x.id),
       s as (
         insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
         select $4::uuid, u.id, now(), now(), 'aal1', $5, $6::inet from u
         returning id, user_id, created_at),
       rt as (
         insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, session_id)
         select $8::uuid, $7, s.user_id::text, false, now(), now(), s.id from s
         returning id)
       select s.created_at from s, rt`,
      [userId, tokenHash, options.invitationTtlSeconds, sessionId, userAgent, ip, refreshToken, INSTANCE_ID],
    );
    if (!row) throw failure();
    const user = await findUserById(ctx.handle, userId);
    if (!user) throw failure();
    return respondWithTokens(ctx, user, { id: sessionId, createdAt: new Date(row.created_at), method: "otp" }, refreshToken);
  }

  /** POST /verify: `{type, token_hash}` (what verifyOtp sends for a link), or `{type, email, token}`. */
  async function verifyPost(req: Request) {
    const params = validateParams(await readBody(req), VerifyParams);
    const type = params.type ?? "";
    const token = params.token ?? "";
    const tokenHash = params.token_hash ?? "";
    if (type === "") throw badRequest("validation_failed", "Verify requires a verification type");
    if ((token === "") === (tokenHash === "")) throw badRequest("validation_failed", "Verify requires either a token or a token hash");
    return guarded(req, async () => {
      if (tokenHash !== "") {
        if (params.email || params.phone || params.redirect_to) {
          throw badRequest("validation_failed", "Only the token_hash and type should be provided");
        }
        return confirmAndStartSession(req, await byTokenHash(type, tokenHash), tokenHash, linkInvalid);
      }
      if (params.phone && !params.email) throw new AuthHttpError(422, "phone_provider_disabled", "Phone logins are disabled");
      if (!params.email || params.phone) {
        throw badRequest("validation_failed", "Only an email address or phone number should be provided on verify");
      }
      const found = await byEmailAndCode(type, params.email, token);
      return confirmAndStartSession(req, found.id, found.tokenHash, tokenInvalid);
    });
  }

  /**
   * GET /verify?token=…&type=…&redirect_to=… (GoTrue's link form, implicit flow): 303 to
   * redirect_to with the session in the fragment, or with the error in the fragment.
   */
  async function verifyGet(req: Request, res: Response) {
    const type = typeof req.query.type === "string" ? req.query.type : "";
    const token = typeof req.query.token === "string" ? req.query.token : "";
    if (type === "") throw badRequest("validation_failed", "Verify requires a verification type");
    if (token === "") throw badRequest("validation_failed", "Verify requires a token or a token hash");
    const redirectTo = referrer(req, options.siteUrl);
    const target = new URL(redirectTo);
    target.hash = "";
    let fragment: URLSearchParams;
    try {
      const session = await guarded(req, async () =>
        confirmAndStartSession(req, await byTokenHash(type, token), token, linkInvalid),
      );
      fragment = new URLSearchParams({
        access_token: session.access_token,
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: session.refresh_token,
        sb: "",
        token_type: session.token_type,
        type,
      });
    } catch (error) {
      if (!(error instanceof AuthHttpError)) throw error;
      fragment = new URLSearchParams();
      const oauthError = OAUTH_ERRORS[error.status];
      if (oauthError) fragment.set("error", oauthError);
      fragment.set("error_code", error.code);
      fragment.set("error_description", error.message);
    }
    target.hash = fragment.toString();
    res.redirect(303, target.toString());
  }

  return { verifyPost, verifyGet };
}

/** GoTrue's oauthErrorMap, for errors sent back in a redirect. */
const OAUTH_ERRORS: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized_client",
  403: "access_denied",
  500: "server_error",
  503: "temporarily_unavailable",
};

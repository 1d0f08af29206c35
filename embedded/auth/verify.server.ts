import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import { readBody, validateParams } from "./body.server";
import { normaliseEmail } from "./credentials.server";
import { AuthHttpError, badRequest, forbidden, isUniqueViolation, unprocessable } from "./errors.server";
import { generateTokenHash } from "./invite.server";
import { databaseLimiter } from "./rate-limit.server";
import { referrer } from "./referrer.server";
import { clientInfo, INSTANCE_ID, respondWithTokens, type AuthContext } from "./sessions.server";
import { newRefreshToken } from "./tokens.server";
import { findUserById, isBanned } from "./users.server";

/**
 * The email verification types, by the token they resolve (GoTrue's verifyTokenHash):
 * signup and invite the confirmation token, recovery and magiclink the recovery token,
 * email_change either email-change token, and "email" the confirmation or the recovery one.
 * Phone OTPs (sms, phone_change) are off: phone_provider_disabled.
 */
export const VERIFY_TYPES = ["invite", "signup", "recovery", "magiclink", "email_change", "email"] as const;
type VerifyType = (typeof VERIFY_TYPES)[number];
const GOTRUE_TYPES = new Set(["signup", "invite", "recovery", "magiclink", "email_change", "email", "sms", "phone_change"]);

/** Email links stay valid for 24 hours (supabase/config.toml otp_expiry; GoTrue's default is 1 hour). */
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
/** GoTrue's singleConfirmationAccepted (secure email change, first of two links). */
export const SINGLE_CONFIRMATION_ACCEPTED = "Confirmation link accepted. Please proceed to confirm link sent to the other email";

export interface VerifyOptions {
  /** How long every email link works (GoTrue's MAILER_OTP_EXP). */
  invitationTtlSeconds: number;
  /** Failed verifications per client IP: default 30 per 5 minutes (GoTrue's token_verifications). */
  rateLimit?: { points: number; durationSeconds: number };
  siteUrl: string;
}

interface Candidate {
  id: string;
  email: string | null;
  banned_until: Date | string | null;
  confirmation_token: string | null;
  recovery_token: string | null;
  email_change_token_current: string | null;
  email_change_token_new: string | null;
  email_change_confirm_status: number | null;
  confirmation_expired: boolean;
  recovery_expired: boolean;
  email_change_expired: boolean;
}

const CANDIDATE = `select id::text as id, email, banned_until, confirmation_token, recovery_token,
  email_change_token_current, email_change_token_new, email_change_confirm_status,
  coalesce(confirmation_sent_at + make_interval(secs => $2::float8) < now(), true) as confirmation_expired,
  coalesce(recovery_sent_at + make_interval(secs => $2::float8) < now(), true) as recovery_expired,
  coalesce(email_change_sent_at + make_interval(secs => $2::float8) < now(), true) as email_change_expired
  from auth.users`;

/** Which token a verification used; "email" has been resolved to signup or magiclink. */
type Resolved = { user: Candidate; type: Exclude<VerifyType, "email">; tokenHash: string };

/** The one-statement effects of each verification (the user row as `u`, `returning id, email`). */
const EFFECTS = {
  confirmation: `update auth.users
      set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
          last_sign_in_at = now(), updated_at = now()
    where id = $1::uuid and confirmation_token = $2 and confirmation_sent_at + make_interval(secs => $3::float8) >= now()
    returning id, email`,
  recovery: `update auth.users
      set recovery_token = '', email_confirmed_at = coalesce(email_confirmed_at, now()),
          confirmation_token = case when email_confirmed_at is null then '' else confirmation_token end,
          last_sign_in_at = now(), updated_at = now()
    where id = $1::uuid and recovery_token = $2 and recovery_sent_at + make_interval(secs => $3::float8) >= now()
    returning id, email`,
  email_change: `update auth.users
      set email = email_change, email_change = '', email_change_token_current = '', email_change_token_new = '',
          email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()),
          last_sign_in_at = now(), updated_at = now()
    where id = $1::uuid and email_change <> '' and $2 <> ''
      and (email_change_token_current = $2 or email_change_token_new = $2)
      and email_change_sent_at + make_interval(secs => $3::float8) >= now()
    returning id, email`,
} as const;

const effectOf = (type: Resolved["type"]) =>
  type === "signup" || type === "invite" ? EFFECTS.confirmation : type === "email_change" ? EFFECTS.email_change : EFFECTS.recovery;

export function createVerifier(ctx: AuthContext, options: VerifyOptions) {
  const limit = options.rateLimit ?? { points: 30, durationSeconds: 5 * 60 };
  const failures = databaseLimiter(ctx.handle, { keyPrefix: "verify-ip", ...limit });
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

  const TOKEN_WHERE: Record<VerifyType, string> = {
    signup: "confirmation_token = $1",
    invite: "confirmation_token = $1",
    recovery: "recovery_token = $1",
    magiclink: "recovery_token = $1",
    email_change: "(email_change_token_current = $1 or email_change_token_new = $1)",
    email: "(confirmation_token = $1 or recovery_token = $1)",
  };

  function expired(user: Candidate, type: Resolved["type"]) {
    if (type === "signup" || type === "invite") return user.confirmation_expired;
    if (type === "email_change") return user.email_change_expired;
    return user.recovery_expired;
  }

  /** GoTrue's verifyTokenHash: the user whose token of that type this is. */
  async function byTokenHash(type: string, tokenHash: string): Promise<Resolved> {
    checkType(type);
    const [found] = await ctx.handle.query<Candidate>(
      `${CANDIDATE} where ${TOKEN_WHERE[type as VerifyType]} and $1 <> '' and is_sso_user = false`,
      [tokenHash, options.invitationTtlSeconds],
    );
    if (!found) throw linkInvalid();
    if (isBanned(found)) throw forbidden("user_banned", "User is banned");
    const resolved = type === "email" ? (found.recovery_token === tokenHash ? "magiclink" : "signup") : (type as Resolved["type"]);
    if (expired(found, resolved)) throw linkInvalid();
    return { user: found, type: resolved, tokenHash };
  }

  /** GoTrue's verifyUserAndToken for an emailed code: the hash of address + code must match. */
  async function byEmailAndCode(type: string, rawEmail: string, token: string): Promise<Resolved> {
    checkType(type);
    const email = normaliseEmail(rawEmail);
    if (!email) throw new AuthHttpError(422, "validation_failed", "Invalid email format");
    const tokenHash = generateTokenHash(email, token);
    const [found] = await ctx.handle.query<Candidate>(
      type === "email_change"
        ? `${CANDIDATE} where aud = 'authenticated' and is_sso_user = false and $3 <> ''
             and ((lower(email) = $1 and email_change_token_current = $3) or (lower(email_change) = $1 and email_change_token_new = $3))`
        : `${CANDIDATE} where lower(email) = $1 and aud = 'authenticated' and is_sso_user = false and $3 <> ''`,
      [email, options.invitationTtlSeconds, tokenHash],
    );
    if (!found) throw tokenInvalid();
    if (isBanned(found)) throw forbidden("user_banned", "User is banned");
    const confirmation = found.confirmation_token === tokenHash && !found.confirmation_expired;
    const recovery = found.recovery_token === tokenHash && !found.recovery_expired;
    const change =
      (found.email_change_token_current === tokenHash || found.email_change_token_new === tokenHash) && !found.email_change_expired;
    if (type === "email") {
      if (confirmation) return { user: found, type: "signup", tokenHash };
      if (recovery) return { user: found, type: "magiclink", tokenHash };
      throw tokenInvalid();
    }
    const valid = type === "email_change" ? change : type === "signup" || type === "invite" ? confirmation : recovery;
    if (!valid) throw tokenInvalid();
    return { user: found, type: type as Resolved["type"], tokenHash };
  }

  /**
   * GoTrue's signupVerify / recoverVerify / emailChangeVerify + issueRefreshToken in one
   * statement: the token is used up, its effect applied (address confirmed, or the new address
   * taken, with the email identity following), a session and its first refresh token created.
   * Two requests with one token: one wins, the other finds no token.
   */
  async function confirmAndStartSession(req: Request, resolved: Resolved, failure: () => AuthHttpError) {
    const sessionId = randomUUID();
    const refreshToken = newRefreshToken();
    const { ip, userAgent } = clientInfo(req);
    let row: { created_at: Date | string } | undefined;
    try {
      [row] = await ctx.handle.query<{ created_at: Date | string }>(
        `with u as (${effectOf(resolved.type)}),
         i as (
           update auth.identities x
              set identity_data = x.identity_data || jsonb_build_object('email', u.email, 'email_verified', true), updated_at = now()
             from u where x.user_id = u.id and x.provider = 'email'
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
        [resolved.user.id, resolved.tokenHash, options.invitationTtlSeconds, sessionId, userAgent, ip, refreshToken, INSTANCE_ID],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw unprocessable("email_exists", "A user with this email address has already been registered");
      throw error;
    }
    if (!row) throw failure();
    const user = await findUserById(ctx.handle, resolved.user.id);
    if (!user) throw failure();
    return respondWithTokens(ctx, user, { id: sessionId, createdAt: new Date(row.created_at), method: "otp" }, refreshToken);
  }

  /**
   * Secure email change (supabase/config.toml double_confirm_changes): the first of the two
   * links only marks its address confirmed (GoTrue's singleConfirmation) and starts no session.
   * When the other link's token is already gone (an admin generated only one), this one completes.
   */
  async function acceptFirstOfTwo(resolved: Resolved): Promise<boolean> {
    const { user, tokenHash } = resolved;
    if (resolved.type !== "email_change" || (user.email_change_confirm_status ?? 0) !== 0 || !user.email) return false;
    const other = user.email_change_token_current === tokenHash ? user.email_change_token_new : user.email_change_token_current;
    if (!other) return false;
    const rows = await ctx.handle.query(
      `update auth.users
          set email_change_confirm_status = 1, updated_at = now(),
              email_change_token_current = case when email_change_token_current = $2 then '' else email_change_token_current end,
              email_change_token_new = case when email_change_token_current <> $2 and email_change_token_new = $2 then '' else email_change_token_new end
        where id = $1::uuid and email_change_confirm_status = 0
          and (email_change_token_current = $2 or email_change_token_new = $2)
          and email_change_sent_at + make_interval(secs => $3::float8) >= now()
        returning id`,
      [user.id, tokenHash, options.invitationTtlSeconds],
    );
    if (rows.length === 0) throw linkInvalid();
    return true;
  }

  type Outcome = { pending: true } | { pending: false; session: Awaited<ReturnType<typeof confirmAndStartSession>> };
  async function complete(req: Request, resolved: Resolved, failure: () => AuthHttpError): Promise<Outcome> {
    if (await acceptFirstOfTwo(resolved)) return { pending: true };
    return { pending: false, session: await confirmAndStartSession(req, resolved, failure) };
  }

  /** POST /verify: `{type, token_hash}` (what verifyOtp sends for a link), or `{type, email, token}`. */
  async function verifyPost(req: Request) {
    const params = validateParams(await readBody(req), VerifyParams);
    const type = params.type ?? "";
    const token = params.token ?? "";
    const tokenHash = params.token_hash ?? "";
    if (type === "") throw badRequest("validation_failed", "Verify requires a verification type");
    if ((token === "") === (tokenHash === "")) throw badRequest("validation_failed", "Verify requires either a token or a token hash");
    const outcome = await guarded(req, async () => {
      if (tokenHash !== "") {
        if (params.email || params.phone || params.redirect_to) {
          throw badRequest("validation_failed", "Only the token_hash and type should be provided");
        }
        return complete(req, await byTokenHash(type, tokenHash), linkInvalid);
      }
      if (params.phone && !params.email) throw new AuthHttpError(422, "phone_provider_disabled", "Phone logins are disabled");
      if (!params.email || params.phone) {
        throw badRequest("validation_failed", "Only an email address or phone number should be provided on verify");
      }
      return complete(req, await byEmailAndCode(type, params.email, token), tokenInvalid);
    });
    return outcome.pending ? { msg: SINGLE_CONFIRMATION_ACCEPTED, code: "200" } : outcome.session;
  }

  /**
   * GET /verify?token=…&type=…&redirect_to=… (GoTrue's link form, implicit flow): 303 to
   * redirect_to with the session in the fragment, the first-of-two message, or the error.
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
      const outcome = await guarded(req, async () => complete(req, await byTokenHash(type, token), linkInvalid));
      if (outcome.pending) {
        fragment = new URLSearchParams({ message: SINGLE_CONFIRMATION_ACCEPTED });
      } else {
        const { session } = outcome;
        fragment = new URLSearchParams({
          access_token: session.access_token,
          expires_at: String(session.expires_at),
          expires_in: String(session.expires_in),
          refresh_token: session.refresh_token,
          sb: "",
          token_type: session.token_type,
          type,
        });
      }
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

import type { Request } from "express";
import { z } from "zod";
import type { DbHandle } from "~/db/client.server";
import { validateParams } from "./body.server";
import { AuthHttpError, badRequest } from "./errors.server";
import { weakPasswordOf } from "./credentials.server";
import type { SignInGuard } from "./rate-limit.server";
import { respondWithTokens, startSession, type AuthContext } from "./sessions.server";
import { isBanned } from "./users.server";

const PasswordGrantParams = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.string().optional(),
  gotrue_meta_security: z.unknown().optional(),
});

export const INVALID_LOGIN = "Invalid login credentials";
const invalidCredentials = () => badRequest("invalid_credentials", INVALID_LOGIN);

interface Candidate {
  id: string;
  encrypted_password: string | null;
  email_confirmed_at: Date | string | null;
  banned_until: Date | string | null;
}

async function findCandidate(handle: DbHandle, email: string): Promise<Candidate | null> {
  const rows = await handle.query<Candidate>(
    `select id::text as id, encrypted_password, email_confirmed_at, banned_until
       from auth.users
      where lower(email) = $1 and aud = 'authenticated' and deleted_at is null and is_sso_user = false`,
    [email],
  );
  return rows[0] ?? null;
}

/**
 * POST /token?grant_type=password. One answer for an unknown email and a wrong password
 * (both pay a bcrypt comparison); ban and confirmation are only revealed to someone who
 * knows the password. Failures count against the address from this client IP, and the IP.
 */
export async function passwordGrant(
  ctx: AuthContext,
  req: Request,
  body: Record<string, unknown>,
  deps: { guard: SignInGuard; verifyPassword: (password: string, hash: string | null) => Promise<boolean> },
) {
  const params = validateParams(body, PasswordGrantParams);
  const email = (params.email ?? "").trim().toLowerCase();
  if (email === "" && params.phone) {
    throw new AuthHttpError(422, "phone_provider_disabled", "Phone logins are disabled");
  }
  if (email === "") throw badRequest("validation_failed", "missing email or phone");
  if (!params.password) throw badRequest("validation_failed", "missing password");

  const ip = req.ip ?? req.socket.remoteAddress ?? "unknown";
  const attempt = await deps.guard.reserve(email, ip);

  const candidate = await findCandidate(ctx.handle, email);
  const valid = await deps.verifyPassword(params.password, candidate?.encrypted_password ?? null);
  if (!candidate || !valid) {
    await attempt.failed();
    throw invalidCredentials();
  }
  await attempt.succeeded();
  if (isBanned(candidate)) throw badRequest("user_banned", "User is banned");
  if (candidate.email_confirmed_at === null) throw badRequest("email_not_confirmed", "Email not confirmed");

  const { user, session, refreshToken } = await startSession(ctx, req, candidate.id);
  // As GoTrue: a password that no longer meets the policy still signs in, with a warning.
  const weak = weakPasswordOf(params.password, user.email) ?? undefined;
  return respondWithTokens(ctx, user, session, refreshToken, weak);
}

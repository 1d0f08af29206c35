import { randomBytes, randomInt } from "node:crypto";
import type { Request } from "express";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { DbHandle } from "~/db/client.server";
import { badRequest, tooManyRequests, unprocessable } from "./errors.server";
import { generateTokenHash } from "./invite.server";
import { composeMail, type MailKind, type Mailer, type OutgoingMail, type TemplateSource } from "./mailer.server";
import { databaseLimiter } from "./rate-limit.server";
import { referrer } from "./referrer.server";

/**
 * What sending a one-time link needs: where mail goes, the templates, GoTrue's per-address
 * frequency (SMTP_MAX_FREQUENCY) and its instance-wide budget of mails (RATE_LIMIT_EMAIL_SENT).
 */
export interface EmailLinkDeps {
  handle: DbHandle;
  mailer: Mailer;
  /** The app's origin without a trailing slash (GoTrue's SITE_URL). */
  siteUrl: string;
  templates: TemplateSource;
  /** Seconds between two mails of one kind to one user; default 60. */
  maxFrequencySeconds: number;
  /** Mails this server may send per hour, all addresses together. */
  emailsPerHour: RateLimiterAbstract;
}

export const DEFAULT_MAX_FREQUENCY_SECONDS = 60;
/** GoTrue's RATE_LIMIT_EMAIL_SENT is per hour; the development outbox costs nothing, so it is generous. */
export const DEFAULT_EMAILS_PER_HOUR = 100;

export const createEmailBudget = (handle: DbHandle, perHour = DEFAULT_EMAILS_PER_HOUR) =>
  databaseLimiter(handle, { keyPrefix: "auth-email-sent", points: perHour, durationSeconds: 60 * 60 });

/** A user as the mail senders read it. */
export interface MailUser {
  id: string;
  email: string;
  email_confirmed_at: Date | string | null;
  recovery_sent_at: Date | string | null;
  confirmation_sent_at: Date | string | null;
  email_change: string | null;
  email_change_sent_at: Date | string | null;
  raw_user_meta_data: Record<string, unknown> | null;
}

const MAIL_USER = `select id::text as id, email, email_confirmed_at, recovery_sent_at, confirmation_sent_at, email_change,
  email_change_sent_at, raw_user_meta_data from auth.users`;

/** GoTrue's FindUserByEmailAndAudience for email users. */
export async function findMailUserByEmail(handle: DbHandle, email: string): Promise<MailUser | null> {
  const rows = await handle.query<MailUser>(
    `${MAIL_USER} where lower(email) = $1 and aud = 'authenticated' and is_sso_user = false and deleted_at is null`,
    [email],
  );
  return rows[0] ?? null;
}

export async function findMailUserById(handle: DbHandle, id: string): Promise<MailUser | null> {
  return (await handle.query<MailUser>(`${MAIL_USER} where id = $1::uuid`, [id]))[0] ?? null;
}

/**
 * A link's secret. GoTrue mails a 6-digit code and its hash; these mails carry only the link,
 * so the secret is 128 random bits and the stored hash cannot be found by trying codes.
 */
export function newLinkToken(email: string): string {
  return generateTokenHash(email, randomBytes(16).toString("hex"));
}

/** GoTrue's GenerateOtp (6 digits), for generate_link's email_otp. */
export const newEmailOtp = () => String(randomInt(0, 1_000_000)).padStart(6, "0");

/** GoTrue's validatePKCEParams. The links this server mails are token-hash links either way. */
export function validatePkceParams(method: string | null | undefined, challenge: string | null | undefined) {
  if (!method !== !challenge) throw badRequest("validation_failed", "PKCE flow requires code_challenge_method and code_challenge");
  if (challenge && (challenge.length < 43 || challenge.length > 128)) {
    throw badRequest("validation_failed", "code challenge has to be between 43 and 128 characters");
  }
}

/** GoTrue's validateSentWithinFrequencyLimit and generateFrequencyLimitErrorMessage. */
export function assertSendAllowed(sentAt: Date | string | null, seconds: number) {
  if (sentAt === null || seconds <= 0) return;
  const leftMs = new Date(sentAt).getTime() + seconds * 1000 - Date.now();
  if (leftMs > 0) {
    const left = Math.floor(leftMs / 1000);
    throw tooManyRequests(
      "over_email_send_rate_limit",
      `For security purposes, you can only request this after ${left} seconds.`,
      Math.max(1, Math.ceil(leftMs / 1000)),
    );
  }
}

/** GoTrue's RATE_LIMIT_EMAIL_SENT: one point per mail sent. */
export async function spendEmailBudget(deps: EmailLinkDeps, mails = 1) {
  try {
    await deps.emailsPerHour.consume("all", mails);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw tooManyRequests("over_email_send_rate_limit", "Email rate limit exceeded", Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
  }
}

const sentAtColumn: Record<"recovery" | "magiclink" | "signup", { token: string; sentAt: string }> = {
  recovery: { token: "recovery_token", sentAt: "recovery_sent_at" },
  magiclink: { token: "recovery_token", sentAt: "recovery_sent_at" },
  signup: { token: "confirmation_token", sentAt: "confirmation_sent_at" },
};

/**
 * GoTrue's sendPasswordRecovery / sendMagicLink / sendConfirmation: a new token replaces the
 * old one, at most once per maxFrequencySeconds (checked in the same statement that stores it,
 * so two requests at once send one mail), then the mail from its template.
 */
export async function sendLinkMail(deps: EmailLinkDeps, req: Request, user: MailUser, kind: "recovery" | "magiclink" | "signup") {
  const column = sentAtColumn[kind];
  assertSendAllowed(kind === "signup" ? user.confirmation_sent_at : user.recovery_sent_at, deps.maxFrequencySeconds);
  const tokenHash = newLinkToken(user.email);
  const mail = await compose(deps, req, kind, { email: user.email, tokenHash, data: user.raw_user_meta_data ?? {} });
  await spendEmailBudget(deps);
  const stored = await deps.handle.query<{ id: string }>(
    `update auth.users set ${column.token} = $2, ${column.sentAt} = now(), updated_at = now()
      where id = $1::uuid and (${column.sentAt} is null or ${column.sentAt} + make_interval(secs => $3::float8) <= now())
      returning id::text as id`,
    [user.id, tokenHash, deps.maxFrequencySeconds],
  );
  if (stored.length === 0) {
    const again = await findMailUserById(deps.handle, user.id);
    assertSendAllowed(
      kind === "signup" ? (again?.confirmation_sent_at ?? null) : (again?.recovery_sent_at ?? null),
      deps.maxFrequencySeconds,
    );
    throw tooManyRequests("over_email_send_rate_limit", "Email rate limit exceeded");
  }
  await deps.mailer.send(mail);
}

/**
 * GoTrue's sendEmailChange with secure email change on (supabase/config.toml
 * double_confirm_changes): one link to the new address and one to the current one, each with
 * its own token; the change happens when both have been opened.
 */
export async function sendEmailChangeMails(deps: EmailLinkDeps, req: Request, user: MailUser, newEmail: string) {
  assertSendAllowed(user.email_change_sent_at, deps.maxFrequencySeconds);
  const data = user.raw_user_meta_data ?? {};
  const tokenNew = newLinkToken(newEmail);
  const tokenCurrent = user.email ? newLinkToken(user.email) : "";
  const toNew = await compose(deps, req, "email_change", { email: user.email, newEmail, to: newEmail, tokenHash: tokenNew, data });
  const toCurrent = tokenCurrent
    ? await compose(deps, req, "email_change", { email: user.email, newEmail, tokenHash: tokenCurrent, data })
    : null;
  await spendEmailBudget(deps);
  const stored = await deps.handle.query(
    `update auth.users
        set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
            email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now()
      where id = $1::uuid
        and (email_change_sent_at is null or email_change_sent_at + make_interval(secs => $5::float8) <= now())
      returning id`,
    [user.id, newEmail, tokenNew, tokenCurrent, deps.maxFrequencySeconds],
  );
  if (stored.length === 0) throw tooManyRequests("over_email_send_rate_limit", "Email rate limit exceeded");
  await deps.mailer.send(toNew);
  if (toCurrent) await deps.mailer.send(toCurrent);
}

async function compose(
  deps: EmailLinkDeps,
  req: Request,
  kind: MailKind,
  input: { email: string; tokenHash: string; data: Record<string, unknown>; newEmail?: string; to?: string },
): Promise<OutgoingMail> {
  return composeMail(kind, await deps.templates(kind), { ...input, siteUrl: deps.siteUrl, redirectTo: referrer(req, deps.siteUrl) });
}

/** GoTrue's IsDuplicatedEmail for an address change. */
export async function assertEmailUnused(handle: DbHandle, email: string, exceptId: string) {
  const rows = await handle.query(
    `select 1 from auth.users where lower(email) = $1 and aud = 'authenticated' and is_sso_user = false and id <> $2::uuid`,
    [email, exceptId],
  );
  if (rows.length > 0) throw unprocessable("email_exists", "A user with this email address has already been registered");
}

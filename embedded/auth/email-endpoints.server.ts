import type { Request } from "express";
import { z } from "zod";
import { readParams } from "./body.server";
import { normaliseEmail } from "./credentials.server";
import { badRequest, unprocessable } from "./errors.server";
import { findMailUserByEmail, sendEmailChangeMails, sendLinkMail, validatePkceParams, type EmailLinkDeps } from "./email-links.server";

const Pkce = {
  code_challenge: z.string().nullable().optional(),
  code_challenge_method: z.string().nullable().optional(),
  gotrue_meta_security: z.unknown().optional(),
};

/** GoTrue's validateEmail: required, at most 255 characters, a valid format; lowercased. */
export function validateEmail(raw: string | undefined): string {
  const value = (raw ?? "").trim();
  if (value === "") throw badRequest("validation_failed", "An email address is required");
  if (value.length > 255) throw badRequest("validation_failed", "An email address is too long");
  const email = normaliseEmail(value);
  if (!email) throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  return email;
}

const RecoverParams = z.object({ email: z.string().optional(), ...Pkce }).passthrough();

/**
 * POST /recover: GoTrue's Recover. An unknown address gets the same empty 200 as a known one,
 * so the answer never tells whether an account exists; a known one gets a recovery link
 * (at most one a minute: 429 over_email_send_rate_limit).
 */
export async function recover(deps: EmailLinkDeps, req: Request) {
  const params = await readParams(req, RecoverParams);
  if (!params.email) throw badRequest("validation_failed", "Password recovery requires an email");
  const email = validateEmail(params.email);
  validatePkceParams(params.code_challenge_method, params.code_challenge);
  const user = await findMailUserByEmail(deps.handle, email);
  if (user) await sendLinkMail(deps, req, user, "recovery");
  return {};
}

const OtpParams = z
  .object({
    email: z.string().optional(),
    phone: z.string().optional(),
    create_user: z.boolean().optional(),
    data: z.record(z.unknown()).nullable().optional(),
    channel: z.string().optional(),
    ...Pkce,
  })
  .passthrough();

/**
 * POST /otp: GoTrue's Otp with signups off. An email gets a magic link when its user exists
 * and has confirmed the address; otherwise GoTrue would sign the address up, which this
 * instance refuses (signup_disabled, or otp_disabled when create_user is false). There is
 * no SMS provider: a phone is phone_provider_disabled.
 */
export async function otp(deps: EmailLinkDeps, req: Request) {
  const params = await readParams(req, OtpParams);
  if (params.email && params.phone) throw badRequest("validation_failed", "Only an email address or phone number should be provided");
  if (params.email && params.channel) throw badRequest("validation_failed", "Channel should only be specified with Phone OTP");
  validatePkceParams(params.code_challenge_method, params.code_challenge);
  const createUser = params.create_user ?? true;
  if (params.phone) {
    if (!createUser) throw unprocessable("otp_disabled", "Signups not allowed for otp");
    throw badRequest("phone_provider_disabled", "Unsupported phone provider");
  }
  if (!params.email) throw badRequest("validation_failed", "One of email or phone must be set");
  const email = validateEmail(params.email);
  const user = await findMailUserByEmail(deps.handle, email);
  if (!user && !createUser) throw unprocessable("otp_disabled", "Signups not allowed for otp");
  if (!user || user.email_confirmed_at === null) throw unprocessable("signup_disabled", "Signups not allowed for this instance");
  await sendLinkMail(deps, req, user, "magiclink");
  return {};
}

const ResendParams = z
  .object({ type: z.string().optional(), email: z.string().optional(), phone: z.string().optional(), ...Pkce })
  .passthrough();

/**
 * POST /resend: GoTrue's Resend for email — signup (the confirmation mail again, for a user
 * who has not confirmed) and email_change (both links again, for a pending change). Unknown
 * addresses and nothing to resend are an empty 200, as in GoTrue.
 */
export async function resend(deps: EmailLinkDeps, req: Request) {
  const params = await readParams(req, ResendParams);
  const type = params.type ?? "";
  if (!["signup", "email_change", "sms", "phone_change"].includes(type)) {
    throw badRequest("validation_failed", "Missing one of these types: signup, email_change, sms, phone_change");
  }
  if (!params.email && type === "signup") throw badRequest("validation_failed", "Type provided requires an email address");
  if (!params.phone && type === "sms") throw badRequest("validation_failed", "Type provided requires a phone number");
  if (params.email && params.phone) throw badRequest("validation_failed", "Only an email address or phone number should be provided.");
  if (params.phone) throw badRequest("phone_provider_disabled", "Phone logins are disabled");
  if (!params.email) throw badRequest("validation_failed", "Missing email address or phone number");
  const email = validateEmail(params.email);
  if (type === "sms" || type === "phone_change") return {};
  const user = await findMailUserByEmail(deps.handle, email);
  if (!user) return {};
  if (type === "signup") {
    if (user.email_confirmed_at !== null) return {};
    await sendLinkMail(deps, req, user, "signup");
  } else {
    if (!user.email_change) return {};
    await sendEmailChangeMails(deps, req, user, user.email_change);
  }
  return {};
}

import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Request } from "express";
import { z } from "zod";
import { readParams } from "./body.server";
import { normaliseEmail } from "./credentials.server";
import { badRequest, isUniqueViolation, unprocessable } from "./errors.server";
import { composeInviteMail, type Mailer } from "./mailer.server";
import { referrer } from "./referrer.server";
import { INSTANCE_ID, type AuthContext } from "./sessions.server";
import { findUserById, toUserJson } from "./users.server";

const InviteParams = z
  .object({
    email: z.string().optional(),
    data: z.record(z.unknown()).nullable().optional(),
  })
  .passthrough();

const DUPLICATE_EMAIL = "A user with this email address has already been registered";

/** GoTrue's crypto.GenerateTokenHash: hex SHA-224 of the address followed by the secret. */
export const generateTokenHash = (email: string, secret: string) =>
  createHash("sha224")
    .update(email + secret)
    .digest("hex");

/**
 * The secret behind a link. GoTrue uses its 6-digit email OTP; the mails of this server carry
 * only the link (no code to type), which lives 24 hours, so the secret is 128 random bits
 * instead: the stored token hash has GoTrue's format but cannot be found by trying a million codes.
 */
const newSecret = () => randomBytes(16).toString("hex");

export interface InviteDeps {
  mailer: Mailer;
  /** The app's origin without a trailing slash (GoTrue's SITE_URL). */
  siteUrl: string;
  /** The invitation template's text (read per invitation). */
  template: () => Promise<string>;
}

interface Existing {
  id: string;
  confirmed: boolean;
  raw_user_meta_data: Record<string, unknown> | null;
}

/**
 * POST /invite (service role): GoTrue's Invite. A new address gets a user without a password
 * (invited_at set, unconfirmed, user_metadata = data) and its email identity; an address whose
 * user never confirmed it is invited again (its metadata unchanged, as GoTrue does); a confirmed
 * one is 422 email_exists. Then the one-time token is stored (confirmation_token = its hash,
 * confirmation_sent_at = invited_at = now) and the invitation mail goes to the mailer.
 */
export async function invite(ctx: AuthContext, req: Request, deps: InviteDeps) {
  const params = await readParams(req, InviteParams);
  const raw = (params.email ?? "").trim();
  if (raw === "") throw badRequest("validation_failed", "An email address is required");
  const email = normaliseEmail(raw);
  if (!email) throw badRequest("validation_failed", "Unable to validate email address: invalid format");

  const [existing] = await ctx.handle.query<Existing>(
    `select id::text as id, email_confirmed_at is not null as confirmed, raw_user_meta_data
       from auth.users where lower(email) = $1 and aud = 'authenticated' and is_sso_user = false`,
    [email],
  );
  if (existing?.confirmed) throw unprocessable("email_exists", DUPLICATE_EMAIL);

  const tokenHash = generateTokenHash(email, newSecret());
  const metadata = existing ? (existing.raw_user_meta_data ?? {}) : (params.data ?? {});
  // Rendered before anything is written: a broken template fails the request, not the user.
  const mail = composeInviteMail(await deps.template(), {
    siteUrl: deps.siteUrl,
    tokenHash,
    redirectTo: referrer(req, deps.siteUrl),
    email,
    data: metadata,
  });

  const id = existing?.id ?? randomUUID();
  try {
    if (existing) {
      const rows = await ctx.handle.query(
        `update auth.users set confirmation_token = $2, confirmation_sent_at = now(), invited_at = now(), updated_at = now()
          where id = $1::uuid and email_confirmed_at is null
          returning id`,
        [id, tokenHash],
      );
      // Confirmed (or deleted) between the look-up and the update.
      if (rows.length === 0) throw unprocessable("email_exists", DUPLICATE_EMAIL);
    } else {
      await insertEmailUser(ctx, { id, email, hash: "", invited: true, confirmationToken: tokenHash, userMetadata: metadata });
    }
  } catch (error) {
    if (isUniqueViolation(error)) throw unprocessable("email_exists", DUPLICATE_EMAIL);
    throw error;
  }
  await deps.mailer.send(mail);
  return toUserJson((await findUserById(ctx.handle, id))!);
}

/**
 * A new email user and its email identity, as GoTrue writes them: `hash` "" for no usable
 * password, `invited` sets invited_at, `confirmationToken` the emailed link's token (and when it
 * was sent). The database's unique violation tells that the address is taken.
 */
export async function insertEmailUser(
  ctx: AuthContext,
  user: { id: string; email: string; hash: string; invited: boolean; confirmationToken?: string; userMetadata: unknown },
) {
  await ctx.handle.query(
    `with u as (
       insert into auth.users (instance_id, id, aud, role, email, encrypted_password, invited_at, confirmation_token,
         confirmation_sent_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_anonymous, is_sso_user)
       values ($1::uuid, $2::uuid, 'authenticated', 'authenticated', $3, $4, case when $5::boolean then now() end,
         coalesce($6::text, ''), case when $6::text is not null then now() end,
         '{"provider":"email","providers":["email"]}'::jsonb, $7::text::jsonb, now(), now(), false, false)
       returning id, email)
     insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     select u.id::text, u.id,
            jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', false, 'phone_verified', false),
            'email', now(), now(), now()
       from u`,
    [INSTANCE_ID, user.id, user.email, user.hash, user.invited, user.confirmationToken ?? null, JSON.stringify(user.userMetadata)],
  );
}

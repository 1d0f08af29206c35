import { randomBytes, randomUUID } from "node:crypto";
import type { Request } from "express";
import { z } from "zod";
import { readParams } from "./body.server";
import { checkPasswordStrength, hashPassword } from "./credentials.server";
import { badRequest, isUniqueViolation, notFound, unprocessable } from "./errors.server";
import { assertEmailUnused, newEmailOtp } from "./email-links.server";
import { validateEmail } from "./email-endpoints.server";
import { generateTokenHash, insertEmailUser } from "./invite.server";
import { isRedirectUrlValid, referrer } from "./referrer.server";
import type { AuthContext } from "./sessions.server";
import { findUserById, mergeSql, metadataPatch, toUserJson, type UserRow } from "./users.server";

const GenerateLinkParams = z
  .object({
    type: z.string().optional(),
    email: z.string().optional(),
    new_email: z.string().optional(),
    password: z.string().optional(),
    data: z.record(z.unknown()).nullable().optional(),
    redirect_to: z.string().optional(),
  })
  .passthrough();

const DUPLICATE_EMAIL = "A user with this email address has already been registered";
const TYPES = ["signup", "invite", "magiclink", "recovery", "email_change_current", "email_change_new"] as const;
type LinkType = (typeof TYPES)[number];

/** A new email user with its identity: invited (no password) or signed up (with one). */
async function createEmailUser(
  ctx: AuthContext,
  email: string,
  options: { hash: string; invited: boolean; data: Record<string, unknown> },
) {
  const id = randomUUID();
  try {
    await insertEmailUser(ctx, { id, email, hash: options.hash, invited: options.invited, userMetadata: options.data });
  } catch (error) {
    if (isUniqueViolation(error)) throw unprocessable("email_exists", DUPLICATE_EMAIL);
    throw error;
  }
  return id;
}

/**
 * POST /admin/generate_link: GoTrue's adminGenerateLink. Stores a fresh token of the asked
 * type (nothing is mailed) and answers the user with action_link (this server's /verify),
 * email_otp (6 digits, for verifyOtp with the address), hashed_token, verification_type and
 * redirect_to. magiclink for an unknown address signs it up, as GoTrue does.
 */
export async function generateLink(ctx: AuthContext, req: Request, siteUrl: string) {
  const params = await readParams(req, GenerateLinkParams);
  const email = validateEmail(params.email);
  let redirectTo = referrer(req, siteUrl);
  if (params.redirect_to && isRedirectUrlValid(siteUrl, params.redirect_to)) redirectTo = params.redirect_to;
  let type = (params.type ?? "") as LinkType;
  let password = params.password ?? "";

  const [found] = await ctx.handle.query<{ id: string }>(
    `select id::text as id from auth.users where lower(email) = $1 and aud = 'authenticated' and is_sso_user = false and deleted_at is null`,
    [email],
  );
  let user: UserRow | null = found ? await findUserById(ctx.handle, found.id) : null;
  if (!user && type === "magiclink") {
    type = "signup";
    password = randomBytes(32).toString("base64url");
  }
  if (!user && (type === "recovery" || type === "email_change_current" || type === "email_change_new")) {
    throw notFound("user_not_found", "User with this email not found");
  }
  if (!(TYPES as readonly string[]).includes(type)) {
    throw badRequest("validation_failed", `Invalid email action link type requested: ${params.type ?? ""}`);
  }

  const otp = newEmailOtp();
  const hashedToken = generateTokenHash(email, otp);
  let linkToken = hashedToken;
  const data = params.data ?? {};

  if (type === "magiclink" || type === "recovery") {
    await ctx.handle.query(`update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now() where id = $1::uuid`, [
      user!.id,
      hashedToken,
    ]);
  } else if (type === "invite" || type === "signup") {
    if (user && user.email_confirmed_at !== null) throw unprocessable("email_exists", DUPLICATE_EMAIL);
    let id = user?.id;
    if (!id) {
      if (type === "signup") {
        if (password === "") throw badRequest("validation_failed", "Signup requires a valid password");
        checkPasswordStrength(password);
      }
      id = await createEmailUser(ctx, email, {
        hash: type === "signup" ? await hashPassword(password) : "",
        invited: type === "invite",
        data,
      });
    } else if (type === "signup" && params.data) {
      const patch = metadataPatch(params.data);
      await ctx.handle.query(
        `update auth.users set raw_user_meta_data = ${mergeSql("raw_user_meta_data", "$2", "$3")} where id = $1::uuid`,
        [id, patch.set, patch.remove],
      );
    }
    await ctx.handle.query(
      `update auth.users set confirmation_token = $2, confirmation_sent_at = now(),
              invited_at = case when $3::boolean then now() else invited_at end, updated_at = now()
        where id = $1::uuid`,
      [id, hashedToken, type === "invite"],
    );
    user = await findUserById(ctx.handle, id);
  } else {
    const newEmail = validateEmail(params.new_email);
    await assertEmailUnused(ctx.handle, newEmail, user!.id);
    if (type === "email_change_new") linkToken = generateTokenHash(newEmail, otp);
    await ctx.handle.query(
      `update auth.users
          set email_change = $2, email_change_sent_at = now(), email_change_confirm_status = 0, updated_at = now(),
              email_change_token_current = case when $4::boolean then $3 else email_change_token_current end,
              email_change_token_new = case when $4::boolean then email_change_token_new else $3 end
        where id = $1::uuid`,
      [user!.id, newEmail, linkToken, type === "email_change_current"],
    );
  }

  const fresh = await findUserById(ctx.handle, user!.id);
  const linkType = type.startsWith("email_change") ? "email_change" : type;
  const actionLink = `${ctx.issuer}/verify?${new URLSearchParams({ token: linkToken, type: linkType, redirect_to: redirectTo })}`;
  return {
    ...toUserJson(fresh!),
    action_link: actionLink,
    email_otp: otp,
    hashed_token: linkToken,
    verification_type: type,
    redirect_to: redirectTo,
  };
}

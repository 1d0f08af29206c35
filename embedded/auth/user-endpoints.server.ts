import type { Request } from "express";
import { z } from "zod";
import { readParams } from "./body.server";
import { badRequest, forbidden, unprocessable } from "./errors.server";
import { authenticate } from "./guards.server";
import { checkPasswordStrength, hashPassword, normaliseEmail } from "./credentials.server";
import type { AuthContext } from "./sessions.server";
import { findUserById, mergeSql, metadataPatch, toUserJson } from "./users.server";
import { assertEmailUnused, assertSendAllowed, findMailUserById, sendEmailChangeMails, type EmailLinkDeps } from "./email-links.server";

const UserUpdateParams = z
  .object({
    email: z.string().optional(),
    password: z.string().nullable().optional(),
    data: z.record(z.unknown()).nullable().optional(),
    app_metadata: z.record(z.unknown()).nullable().optional(),
    phone: z.string().optional(),
    nonce: z.string().optional(),
  })
  .passthrough();

/** GET /user: the signed-in user, with a live session. */
export async function getUser(ctx: AuthContext, req: Request) {
  const { user } = await authenticate(req, ctx.handle, ctx.jwtSecret);
  return toUserJson(user);
}

/**
 * PUT /user. Password (re-hashed; other sessions end, as GoTrue's UpdatePassword does), user
 * metadata (merged; null removes a key) and email: a new address is not taken at once but
 * mailed, GoTrue's secure email change — one link to the new address and one to the current
 * one; the user answers with new_email until both are opened. Phone changes: phone_provider_disabled.
 */
export async function updateUser(
  ctx: AuthContext,
  req: Request,
  verifyPassword: (p: string, h: string | null) => Promise<boolean>,
  emailDeps: EmailLinkDeps,
) {
  const { user, sessionId } = await authenticate(req, ctx.handle, ctx.jwtSecret);
  const params = await readParams(req, UserUpdateParams);
  const password = params.password ?? undefined;
  if (password !== undefined) checkPasswordStrength(password, user.email);
  if (params.app_metadata) throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
  if (params.phone && params.phone !== (user.phone ?? "")) {
    throw unprocessable("phone_provider_disabled", "Phone changes are not supported");
  }
  let newEmail: string | null = null;
  if (params.email) {
    const email = normaliseEmail(params.email);
    if (!email) throw badRequest("validation_failed", "Unable to validate email address: invalid format");
    if (email !== (user.email ?? "").toLowerCase()) {
      await assertEmailUnused(ctx.handle, email, user.id);
      // Before anything is written: a refused mail leaves the password and metadata unchanged too.
      assertSendAllowed(user.email_change_sent_at, emailDeps.maxFrequencySeconds);
      newEmail = email;
    }
  }
  let hash: string | null = null;
  if (password !== undefined) {
    if (await verifyPassword(password, user.encrypted_password)) {
      throw unprocessable("same_password", "New password should be different from the old password.");
    }
    hash = await hashPassword(password);
  }
  const patch = metadataPatch(params.data ?? {});
  const rows = await ctx.handle.query(
    `with u as (
       update auth.users
          set encrypted_password = coalesce($2, encrypted_password),
              raw_user_meta_data = case when $3::boolean then ${mergeSql("raw_user_meta_data", "$4", "$5")}
                                        else raw_user_meta_data end,
              updated_at = now()
        where id = $1::uuid
        returning id),
     ended as (
       delete from auth.sessions
        where $2::text is not null and user_id = $1::uuid and id is distinct from $6::uuid
        returning id)
     select (select count(*) from ended) as ended from u`,
    [user.id, hash, params.data != null, patch.set, patch.remove, sessionId],
  );
  if (rows.length === 0) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  if (newEmail) {
    const mailUser = await findMailUserById(ctx.handle, user.id);
    if (mailUser) await sendEmailChangeMails(emailDeps, req, mailUser, newEmail);
  }
  const updated = await findUserById(ctx.handle, user.id);
  if (!updated) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  return toUserJson(updated);
}

/** POST /logout?scope=global|local|others: ends sessions (their refresh tokens go with them). */
export async function logout(ctx: AuthContext, req: Request): Promise<void> {
  const { user, sessionId } = await authenticate(req, ctx.handle, ctx.jwtSecret);
  const raw = typeof req.query.scope === "string" ? req.query.scope : "";
  const scope = raw === "" ? "global" : raw;
  if (scope !== "global" && scope !== "local" && scope !== "others") {
    throw badRequest("validation_failed", `Unsupported logout scope "${raw}"`);
  }
  if (sessionId && scope === "local") {
    await ctx.handle.query(`delete from auth.sessions where id = $1::uuid`, [sessionId]);
  } else if (sessionId && scope === "others") {
    await ctx.handle.query(`delete from auth.sessions where user_id = $1::uuid and id <> $2::uuid`, [user.id, sessionId]);
  } else {
    await ctx.handle.query(
      `with tokens as (delete from auth.refresh_tokens where user_id = $1::text and session_id is null returning id)
       delete from auth.sessions where user_id = $1::uuid`,
      [user.id],
    );
  }
}

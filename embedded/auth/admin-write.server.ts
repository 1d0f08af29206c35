import type { Request } from "express";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { banUntil, loadUserParam } from "./admin.server";
import { readParams } from "./body.server";
import { badRequest, isUniqueViolation, unprocessable } from "./errors.server";
import { checkPasswordStrength, hashPassword, isBcryptHash, normaliseEmail } from "./credentials.server";
import { INSTANCE_ID, type AuthContext } from "./sessions.server";
import { findUserById, isUuid, mergeSql, metadataPatch, toUserJson } from "./users.server";

const Metadata = z.record(z.unknown()).nullable().optional();
const AdminUserParams = z
  .object({
    id: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    password: z.string().nullable().optional(),
    password_hash: z.string().optional(),
    email_confirm: z.boolean().optional(),
    user_metadata: Metadata,
    app_metadata: Metadata,
    ban_duration: z.string().optional(),
    role: z.string().optional(),
    aud: z.string().optional(),
  })
  .passthrough();
type Params = z.infer<typeof AdminUserParams>;

const DUPLICATE_EMAIL = "A user with this email address has already been registered";
const IDENTITY_DATA = `jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', u.email_confirmed_at is not null, 'phone_verified', false)`;

/** Checks shared by create and update; returns the normalised email and the ban (if any). */
function validate(params: Params) {
  if (params.phone) throw unprocessable("phone_provider_disabled", "Phone users are not supported by this server");
  if (params.role && params.role !== "authenticated") throw badRequest("validation_failed", "Only the role authenticated is supported");
  if (params.aud && params.aud !== "authenticated") throw badRequest("validation_failed", "Only the audience authenticated is supported");
  let email: string | null = null;
  if (params.email) {
    email = normaliseEmail(params.email);
    if (!email) throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  }
  const ban = params.ban_duration ? banUntil(params.ban_duration) : undefined;
  if (ban === "invalid") {
    throw badRequest("validation_failed", `invalid format for ban duration: time: invalid duration "${params.ban_duration}"`);
  }
  return { email, ban };
}

async function assertEmailFree(ctx: AuthContext, email: string, exceptId: string | null) {
  const rows = await ctx.handle.query(`select 1 from auth.users where lower(email) = $1 and id is distinct from $2::uuid`, [
    email,
    exceptId,
  ]);
  if (rows.length > 0) throw unprocessable("email_exists", DUPLICATE_EMAIL);
}

/** POST /admin/users: GoTrue's adminUserCreate for email users, with its email identity. */
export async function createUser(ctx: AuthContext, req: Request) {
  const params = await readParams(req, AdminUserParams);
  const { email, ban } = validate(params);
  if (!email) throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
  if (params.password) checkPasswordStrength(params.password, email);
  if (params.password && params.password_hash)
    throw badRequest("validation_failed", "Only a password or a password hash should be provided");
  if (params.password_hash && !isBcryptHash(params.password_hash)) throw badRequest("validation_failed", "Invalid password hash");
  if (params.id !== undefined && (!isUuid(params.id) || /^[0-]+$/.test(params.id))) {
    throw badRequest("validation_failed", "ID must conform to the uuid v4 format");
  }
  const id = params.id ?? randomUUID();
  if ((await findUserById(ctx.handle, id)) !== null) throw unprocessable("user_already_exists", "User already registered");
  await assertEmailFree(ctx, email, null);
  // No password: no usable hash, as GoTrue's random one (the user cannot sign in until one is set).
  const hash = params.password ? await hashPassword(params.password) : (params.password_hash ?? "");
  const appMetadata = metadataPatch(params.app_metadata ?? {});
  try {
    await ctx.handle.query(
      `with u as (
         insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
           raw_app_meta_data, raw_user_meta_data, banned_until, created_at, updated_at, is_anonymous, is_sso_user)
         values ($1::uuid, $2::uuid, 'authenticated', 'authenticated', $3, $4, case when $5::boolean then now() end,
           ${mergeSql(`'{"provider":"email","providers":["email"]}'::jsonb`, "$6", "$7")}, $8::text::jsonb,
           $9::timestamptz, now(), now(), false, false)
         returning id, email, email_confirmed_at)
       insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
       select u.id::text, u.id, ${IDENTITY_DATA}, 'email', now(), now(), now() from u`,
      [
        INSTANCE_ID,
        id,
        email,
        hash,
        params.email_confirm === true,
        appMetadata.set,
        appMetadata.remove,
        JSON.stringify(params.user_metadata ?? {}),
        ban ? ban.toISOString() : null,
      ],
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw unprocessable("email_exists", DUPLICATE_EMAIL);
    throw error;
  }
  return toUserJson((await findUserById(ctx.handle, id))!);
}

/**
 * PUT /admin/users/:id: email (and its identity), email_confirm, password (all sessions end,
 * as GoTrue's UpdatePassword(tx, nil)), user_metadata/app_metadata (merged), ban_duration.
 */
export async function updateUser(ctx: AuthContext, req: Request, id: string) {
  const user = await loadUserParam(ctx, id);
  const params = await readParams(req, AdminUserParams);
  const { email, ban } = validate(params);
  if (params.password_hash) throw badRequest("validation_failed", "password_hash is only accepted when creating a user");
  const newEmail = email !== null && email !== (user.email ?? "").toLowerCase() ? email : null;
  if (newEmail) await assertEmailFree(ctx, newEmail, user.id);
  const hash =
    params.password != null ? (checkPasswordStrength(params.password, newEmail ?? user.email), await hashPassword(params.password)) : null;
  const userMeta = metadataPatch(params.user_metadata ?? {});
  const appMeta = metadataPatch(params.app_metadata ?? {});
  try {
    await ctx.handle.query(
      `with u as (
         update auth.users set
           email = coalesce($2, email),
           email_confirmed_at = case when $3::boolean then now() else email_confirmed_at end,
           encrypted_password = coalesce($4, encrypted_password),
           raw_user_meta_data = case when $5::boolean then ${mergeSql("raw_user_meta_data", "$6", "$7")} else raw_user_meta_data end,
           raw_app_meta_data = case when $8::boolean then ${mergeSql("raw_app_meta_data", "$9", "$10")} else raw_app_meta_data end,
           banned_until = case when $11::boolean then $12::timestamptz else banned_until end,
           updated_at = now()
          where id = $1::uuid
          returning id, email, email_confirmed_at),
       i as (
         update auth.identities x set identity_data = x.identity_data || jsonb_build_object('email', u.email, 'email_verified', $3::boolean), updated_at = now()
           from u where $2::text is not null and x.user_id = u.id and x.provider = 'email' returning x.id),
       ni as (
         insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
         select u.id::text, u.id, ${IDENTITY_DATA}, 'email', now(), now(), now() from u
          where $2::text is not null and not exists (select 1 from auth.identities y where y.user_id = u.id and y.provider = 'email')
         returning id),
       s as (delete from auth.sessions where $4::text is not null and user_id = $1::uuid returning id)
       select u.id::text as id from u`,
      [
        user.id,
        newEmail,
        params.email_confirm === true,
        hash,
        params.user_metadata != null,
        userMeta.set,
        userMeta.remove,
        params.app_metadata != null,
        appMeta.set,
        appMeta.remove,
        ban !== undefined,
        ban ? ban.toISOString() : null,
      ],
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw unprocessable("email_exists", DUPLICATE_EMAIL);
    throw error;
  }
  return toUserJson((await findUserById(ctx.handle, user.id))!);
}

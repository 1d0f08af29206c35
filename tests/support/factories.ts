import { randomUUID } from "node:crypto";
import type { DbHandle } from "../../app/db/client.server";
import type { JwtClaims } from "../../app/db/types";
import type { MembershipRole, Stage } from "../../app/db/schema";

/**
 * Test data written as the system would write it (the database owner, bypassing RLS),
 * so each test builds exactly the world it needs without the demo seed.
 */
export async function createUser(
  handle: DbHandle,
  options: { email?: string; displayName?: string; language?: string } = {},
): Promise<{ id: string; email: string; claims: JwtClaims }> {
  const id = randomUUID();
  const email = options.email ?? `user-${id.slice(0, 8)}@example.test`;
  await handle.query(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
       raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, '', now(),
       '{"provider":"email","providers":["email"]}', $3::jsonb, now(), now())`,
    [id, email, JSON.stringify({ display_name: options.displayName ?? email.split("@")[0], preferred_language: options.language })],
  );
  // The session its claims name (pages and /collab check that it is still live).
  await handle.query(`insert into auth.sessions (id, user_id, created_at, updated_at) values ($1, $1, now(), now())`, [id]);
  return { id, email, claims: claimsFor(id, email) };
}

export function claimsFor(id: string, email: string): JwtClaims {
  return {
    sub: id,
    role: "authenticated",
    aud: "authenticated",
    email,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: {},
    // createUser starts this session for the user.
    session_id: id,
  };
}

export async function createRegion(handle: DbHandle, options: { code?: string; nameZh?: string } = {}) {
  const code = options.code ?? `region-${randomUUID().slice(0, 8)}`;
  const [row] = await handle.query<{ id: string }>(`insert into public.regions (code, name_zh) values ($1, $2) returning id`, [
    code,
    options.nameZh ?? `测试区${code.slice(-4)}`,
  ]);
  return { id: row.id, code };
}

export async function createSchool(handle: DbHandle, regionId: string, options: { nameZh?: string; stage?: Stage; nameBo?: string } = {}) {
  const [row] = await handle.query<{ id: string }>(
    `insert into public.schools (region_id, name_zh, name_bo, stage) values ($1, $2, $3, $4) returning id`,
    [regionId, options.nameZh ?? `测试学校${randomUUID().slice(0, 6)}`, options.nameBo ?? null, options.stage ?? "primary"],
  );
  return { id: row.id };
}

export async function addMembership(handle: DbHandle, schoolId: string, userId: string, role: MembershipRole) {
  await handle.query(`insert into public.school_memberships (school_id, user_id, role) values ($1, $2, $3)`, [schoolId, userId, role]);
}

export async function addCoordinator(handle: DbHandle, regionId: string, userId: string) {
  await handle.query(`insert into public.coordinator_scopes (region_id, user_id) values ($1, $2)`, [regionId, userId]);
}

export async function addPlatformAdmin(handle: DbHandle, userId: string) {
  await handle.query(`insert into public.platform_admins (user_id) values ($1)`, [userId]);
}

export async function createClassroom(handle: DbHandle, schoolId: string, name = "一年级一班") {
  const [row] = await handle.query<{ id: string }>(`insert into public.classrooms (school_id, name) values ($1, $2) returning id`, [
    schoolId,
    name,
  ]);
  return { id: row.id };
}

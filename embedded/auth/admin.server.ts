import type { Request, Response } from "express";
import { z } from "zod";
import { readParams } from "./body.server";
import { badRequest, notFound } from "./errors.server";
import type { AuthContext } from "./sessions.server";
import { findUserById, isUuid, toUserJson, USER_COLUMNS, type UserRow } from "./users.server";

const AUDIENCE = "authenticated";

/** GoTrue's loadUser for /admin/users/{user_id}. */
export async function loadUserParam(ctx: AuthContext, id: string): Promise<UserRow> {
  if (!isUuid(id)) throw notFound("validation_failed", "user_id must be an UUID");
  const user = await findUserById(ctx.handle, id);
  if (!user) throw notFound("user_not_found", "User not found");
  return user;
}

function pageParam(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw badRequest("validation_failed", `Bad Pagination Parameters: ${name} must be a positive integer`);
  }
  return n;
}

/** The Link header GoTrue's addPaginationHeaders builds (`page` first: auth-js parses it so). */
export function paginationLink(path: string, page: number, perPage: number, total: number): string {
  const totalPages = Math.ceil(total / perPage);
  const url = (p: number) => `<${path}?page=${p}&per_page=${perPage}>`;
  const next = totalPages > page ? `${url(page + 1)}; rel="next", ` : "";
  return `${next}${url(totalPages)}; rel="last"`;
}

/** GET /admin/users?page&per_page&filter → {users, aud}, newest first, with x-total-count and link. */
export async function listUsers(ctx: AuthContext, req: Request, res: Response) {
  const page = pageParam(req.query.page, 1, "page");
  const perPage = Math.min(pageParam(req.query.per_page, 50, "per_page"), 1000);
  const filter = typeof req.query.filter === "string" ? req.query.filter.trim() : "";
  const pattern = `%${filter.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = `u.aud = $1 and ($2 = '' or u.email ilike $3 or u.raw_user_meta_data ->> 'full_name' ilike $3)`;
  const [{ total }] = await ctx.handle.query<{ total: number }>(`select count(*)::int as total from auth.users u where ${where}`, [
    AUDIENCE,
    filter,
    pattern,
  ]);
  const users = await ctx.handle.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users u where ${where}
      order by u.created_at desc, u.id limit $4 offset $5`,
    [AUDIENCE, filter, pattern, perPage, (page - 1) * perPage],
  );
  res.set("x-total-count", String(total));
  res.set("link", paginationLink(`${req.baseUrl}${req.path}`, page, perPage, Number(total)));
  return { users: users.map(toUserJson), aud: AUDIENCE };
}

/** GET /admin/users/:id */
export async function getUserById(ctx: AuthContext, id: string) {
  return toUserJson(await loadUserParam(ctx, id));
}

const DeleteParams = z.object({ should_soft_delete: z.boolean().optional() });

/**
 * DELETE /admin/users/:id → {}. Hard delete by default: the user row goes, and with it (by
 * cascade) identities, sessions and their refresh tokens. `should_soft_delete: true` does
 * what GoTrue does: sessions and identities deleted, email/phone/password/metadata cleared,
 * deleted_at set (the row stays for foreign keys).
 */
export async function deleteUser(ctx: AuthContext, req: Request, id: string) {
  const user = await loadUserParam(ctx, id);
  const params = await readParams(req, DeleteParams);
  if (params.should_soft_delete) {
    if (user.deleted_at !== null) return {};
    await ctx.handle.query(
      `with s as (delete from auth.sessions where user_id = $1::uuid returning id),
            i as (delete from auth.identities where user_id = $1::uuid returning id),
            t as (delete from auth.refresh_tokens where user_id = $1::text returning id)
       update auth.users set email = null, phone = null, encrypted_password = '', raw_user_meta_data = '{}'::jsonb,
              raw_app_meta_data = '{}'::jsonb, confirmation_token = '', recovery_token = '',
              email_change_token_new = '', email_change = '', deleted_at = now(), updated_at = now()
        where id = $1::uuid`,
      [user.id],
    );
    return {};
  }
  await ctx.handle.query(
    `with t as (delete from auth.refresh_tokens where user_id = $1::text returning id)
     delete from auth.users where id = $1::uuid`,
    [user.id],
  );
  return {};
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Go's time.ParseDuration, which GoTrue uses for `ban_duration` ("24h", "1h30m", "-1.5h",
 * "876000h"). Returns milliseconds, or null when the text is not a Go duration.
 */
export function parseGoDuration(text: string): number | null {
  const match = /^([+-])?(.*)$/.exec(text);
  if (!match || match[2] === "") return null;
  const [, sign, rest] = match;
  if (rest === "0") return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < rest.length) {
    part.lastIndex = index;
    const found = part.exec(rest);
    if (!found) return null;
    total += Number(found[1]) * UNIT_MS[found[2]];
    index = part.lastIndex;
  }
  return sign === "-" ? -total : total;
}

/** GoTrue's ban_duration: "none" lifts a ban (null), anything else bans until now + duration. */
export function banUntil(banDuration: string, now = Date.now()): Date | null | "invalid" {
  if (banDuration === "none") return null;
  const ms = parseGoDuration(banDuration);
  if (ms === null) return "invalid";
  if (ms === 0) return null;
  const until = new Date(now + ms);
  return Number.isNaN(until.getTime()) ? "invalid" : until;
}

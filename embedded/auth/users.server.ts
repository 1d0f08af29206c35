import type { DbHandle } from "~/db/client.server";

type Json = Record<string, unknown>;
type Timestamp = Date | string | null;

/** The auth.users columns the embedded server reads, plus the user's identities. */
export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Timestamp;
  phone: string | null;
  phone_confirmed_at: Timestamp;
  confirmation_sent_at: Timestamp;
  recovery_sent_at: Timestamp;
  email_change: string | null;
  email_change_sent_at: Timestamp;
  invited_at: Timestamp;
  last_sign_in_at: Timestamp;
  raw_app_meta_data: Json | null;
  raw_user_meta_data: Json | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  banned_until: Timestamp;
  deleted_at: Timestamp;
  is_anonymous: boolean;
  identities: IdentityRow[] | null;
}

interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Json;
  provider: string;
  last_sign_in_at: string | null;
  created_at: string | null;
  updated_at: string | null;
  email: string | null;
}

/** Select list for a user row `u` with its identities; used in plain selects and `returning`. */
export const USER_COLUMNS = `u.id::text as id, u.aud, u.role, u.email, u.encrypted_password, u.email_confirmed_at,
  u.phone, u.phone_confirmed_at, u.confirmation_sent_at, u.recovery_sent_at, u.email_change,
  u.email_change_sent_at, u.invited_at, u.last_sign_in_at, u.raw_app_meta_data, u.raw_user_meta_data,
  u.created_at, u.updated_at, u.banned_until, u.deleted_at, u.is_anonymous,
  (select coalesce(jsonb_agg(to_jsonb(i) order by i.created_at), '[]'::jsonb)
     from auth.identities i where i.user_id = u.id) as identities`;

export async function findUserById(handle: DbHandle, id: string): Promise<UserRow | null> {
  const rows = await handle.query<UserRow>(`select ${USER_COLUMNS} from auth.users u where u.id = $1::uuid`, [id]);
  return rows[0] ?? null;
}

export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

const iso = (value: Timestamp | undefined) => {
  if (value === null || value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** Like Go's `omitempty`: drops undefined entries. */
const compact = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

export const isBanned = (user: Pick<UserRow, "banned_until">, now = new Date()) =>
  user.banned_until !== null && new Date(user.banned_until) > now;

/** The user object exactly as GoTrue serialises models.User (omitempty fields left out). */
export function toUserJson(user: UserRow) {
  const confirmedAt = user.email_confirmed_at ?? user.phone_confirmed_at;
  return compact({
    id: user.id,
    aud: user.aud ?? "",
    role: user.role ?? "",
    email: user.email ?? "",
    email_confirmed_at: iso(user.email_confirmed_at),
    invited_at: iso(user.invited_at),
    phone: user.phone ?? "",
    phone_confirmed_at: iso(user.phone_confirmed_at),
    confirmation_sent_at: iso(user.confirmation_sent_at),
    confirmed_at: iso(confirmedAt),
    recovery_sent_at: iso(user.recovery_sent_at),
    new_email: user.email_change ? user.email_change : undefined,
    email_change_sent_at: iso(user.email_change_sent_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: (user.identities ?? []).map((identity) =>
      compact({
        identity_id: identity.id,
        id: identity.provider_id,
        user_id: identity.user_id,
        identity_data: identity.identity_data,
        provider: identity.provider,
        last_sign_in_at: iso(identity.last_sign_in_at),
        created_at: iso(identity.created_at),
        updated_at: iso(identity.updated_at),
        email: identity.email ?? undefined,
      }),
    ),
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
    banned_until: iso(user.banned_until),
    deleted_at: iso(user.deleted_at),
    is_anonymous: user.is_anonymous,
  });
}

/**
 * GoTrue's UpdateUserMetaData/UpdateAppMetaData merge, split for SQL: keys whose new value is
 * null are removed, the others replace the stored value (`(stored - removed) || set`).
 */
export function metadataPatch(update: Json): { set: string; remove: string } {
  const set: Json = {};
  const remove: string[] = [];
  for (const [k, v] of Object.entries(update)) {
    if (v === null) remove.push(k);
    else set[k] = v;
  }
  return { set: JSON.stringify(set), remove: JSON.stringify(remove) };
}

/** SQL applying a metadataPatch to a jsonb column; $set and $remove are text parameters. */
export const mergeSql = (column: string, setParam: string, removeParam: string) =>
  `((coalesce(${column}, '{}'::jsonb) - array(select jsonb_array_elements_text(${removeParam}::text::jsonb))) || ${setParam}::text::jsonb)`;

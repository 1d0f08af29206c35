import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { decodeJwt, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthApiError, AuthWeakPasswordError, isAuthSessionMissingError } from "@supabase/supabase-js";
import type { EmbeddedAuthOptions } from "../../embedded/auth/router.server";
import { createLocalKeys, verifyAccessToken } from "../../app/auth/keys.server";
import { testDbTarget } from "../support/database";
import { authClient, createAuthServers, freshEmail } from "../support/auth-server";
import { setupTestDatabase } from "../support/db-suite";

const JWT_SECRET = "tongke-auth-contract-test-secret-0123456789abcdef";
const PASSWORD = "correct horse 同课";

const database = setupTestDatabase();
let keys: { anonKey: string; serviceRoleKey: string };
/** The default router (10 s reuse interval, 5 failures in a row per address and IP, 100 an hour per IP). */
let baseUrl: string;
/** A router with no refresh-token reuse interval, to observe reuse detection without waiting. */
let strictUrl: string;

const authServers = createAuthServers(() => ({ handle: database.handle, jwtSecret: JWT_SECRET, ...keys }));
const serve = (extra: Partial<EmbeddedAuthOptions> = {}) => authServers.serve(extra);

beforeAll(async () => {
  keys = await createLocalKeys(JWT_SECRET);
  baseUrl = await serve();
  strictUrl = await serve({ refreshTokenReuseIntervalSeconds: 0 });
});

afterAll(async () => {
  await authServers.close();
});

const client = (options: { key?: string; url?: string; ip?: string } = {}) =>
  authClient(options.url ?? baseUrl, options.key ?? keys.anonKey, options.ip);
const adminClient = () => client({ key: keys.serviceRoleKey });

let ipCounter = 0;
/** Each test signs in from its own client address, so per-IP limits never leak between tests. */
const freshIp = () => `198.51.100.${++ipCounter}`;

async function createConfirmedUser(label: string, metadata: Record<string, unknown> = { display_name: label }) {
  const email = freshEmail(label);
  const { data, error } = await adminClient().auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    user_metadata: metadata,
  });
  expect(error).toBeNull();
  return { id: data.user!.id, email };
}

async function signIn(email: string, password = PASSWORD, options: { url?: string; ip?: string } = {}) {
  const supabase = client({ url: options.url, ip: options.ip ?? freshIp() });
  const result = await supabase.auth.signInWithPassword({ email, password });
  return { supabase, ...result };
}

/** Calls the API directly, for what supabase-js does not expose (headers, raw bodies). */
async function raw(path: string, init: RequestInit & { url?: string; apiVersion?: boolean } = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has("apikey")) headers.set("apikey", keys.anonKey);
  if (init.apiVersion !== false && !headers.has("x-supabase-api-version")) headers.set("x-supabase-api-version", "2024-01-01");
  const response = await fetch(`${init.url ?? baseUrl}/auth/v1${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const count = async (sql: string, params: unknown[] = []) =>
  Number((await database.handle.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params))[0].n);

describe(`embedded Supabase Auth with the real supabase-js client (${testDbTarget})`, () => {
  it("answers health and settings like GoTrue, with signup off", async () => {
    const health = await raw("/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ name: "GoTrue", description: expect.any(String), version: expect.any(String) });

    const settings = await raw("/settings");
    expect(settings.body).toMatchObject({
      external: { email: true, phone: false },
      disable_signup: true,
      mailer_autoconfirm: false,
      phone_autoconfirm: false,
      sms_provider: "",
      saml_enabled: false,
    });

    const { error } = await client().auth.signUp({ email: freshEmail("signup"), password: PASSWORD });
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({ code: "signup_disabled", status: 422 });
  });

  it("requires a valid anon or service-role API key, as Supabase's gateway does", async () => {
    const missing = await fetch(`${baseUrl}/auth/v1/settings`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ message: "No API key found in request" });

    const foreignKey = await new SignJWT({ role: "anon" })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("another-project-secret-with-32-characters!"));
    const foreign = await raw("/settings", { headers: { apikey: foreignKey } });
    expect(foreign.status).toBe(401);
    expect(foreign.body).toMatchObject({ message: "Invalid API key" });

    const user = await createConfirmedUser("apikey");
    const { data } = await signIn(user.email);
    const asKey = await raw("/settings", { headers: { apikey: data.session!.access_token } });
    expect(asKey.status).toBe(401);
  });

  it("signs in with a password: session, refresh token, last_sign_in_at and Supabase's claims", async () => {
    const user = await createConfirmedUser("signin", { display_name: "王老师" });
    const { supabase, data, error } = await signIn(user.email);
    expect(error).toBeNull();
    const session = data.session!;
    expect(session).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(session.user).toMatchObject({ id: user.id, email: user.email, aud: "authenticated", role: "authenticated" });

    const claims = await verifyAccessToken(session.access_token, JWT_SECRET);
    expect(claims).toMatchObject({
      sub: user.id,
      role: "authenticated",
      aud: "authenticated",
      email: user.email,
      iss: `${baseUrl}/auth/v1`,
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: { display_name: "王老师" },
      is_anonymous: false,
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(decodeJwt(session.access_token)).toMatchObject({ aal: "aal1", amr: [{ method: "password" }] });
    await expect(verifyAccessToken(session.access_token, "some-other-secret-that-is-long-enough")).rejects.toThrow();

    expect(await count("auth.sessions where id = $1::uuid and user_id = $2::uuid", [claims.session_id, user.id])).toBe(1);
    expect(
      await count("auth.refresh_tokens where token = $1 and revoked = false and session_id = $2::uuid", [
        session.refresh_token,
        claims.session_id,
      ]),
    ).toBe(1);
    const [row] = await database.handle.query<{ last_sign_in_at: Date | null }>(`select last_sign_in_at from auth.users where id = $1`, [
      user.id,
    ]);
    expect(row.last_sign_in_at).not.toBeNull();

    const { data: got, error: getError } = await supabase.auth.getUser();
    expect(getError).toBeNull();
    expect(got.user).toMatchObject({
      id: user.id,
      email: user.email,
      user_metadata: { display_name: "王老师" },
      identities: [expect.objectContaining({ provider: "email", user_id: user.id })],
    });
  });

  it("signs in a user written by SQL with a bcrypt hash (seed and factory users)", async () => {
    const id = randomUUID();
    const email = freshEmail("seeded");
    await database.handle.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
         raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, $3, now(),
         '{"provider":"email","providers":["email"]}'::jsonb, '{}'::jsonb, now(), now())`,
      [id, email, await bcrypt.hash(PASSWORD, 10)],
    );
    const { data, error } = await signIn(email.toUpperCase());
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id, email, identities: [] });
  });

  it("refuses wrong passwords and unknown emails with the same invalid_credentials answer", async () => {
    const user = await createConfirmedUser("wrong");
    const wrong = await signIn(user.email, "not the password");
    const unknown = await signIn(freshEmail("nobody"), "not the password");
    for (const { error, data } of [wrong, unknown]) {
      expect(error).toBeInstanceOf(AuthApiError);
      expect(error).toMatchObject({ code: "invalid_credentials", status: 400, message: "Invalid login credentials" });
      expect(data.session).toBeNull();
    }
  });

  it("answers missing fields and unknown grant types with GoTrue's codes", async () => {
    const noPassword = await raw("/token?grant_type=password", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: freshEmail("x") }),
    });
    expect(noPassword).toMatchObject({ status: 400, body: { code: "validation_failed" } });
    const noEmail = await raw("/token?grant_type=password", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ password: "whatever" }),
    });
    expect(noEmail).toMatchObject({ status: 400, body: { code: "validation_failed", message: "missing email or phone" } });
    const grant = await raw("/token?grant_type=magic", { method: "POST" });
    expect(grant).toMatchObject({ status: 400, body: { code: "invalid_credentials", message: "unsupported_grant_type" } });
  });

  it("rotates refresh tokens: the child names its parent, the parent is revoked", async () => {
    const user = await createConfirmedUser("rotate");
    const { supabase, data } = await signIn(user.email);
    const first = data.session!.refresh_token;

    const { data: refreshed, error } = await supabase.auth.refreshSession();
    expect(error).toBeNull();
    const second = refreshed.session!.refresh_token;
    expect(second).not.toBe(first);
    expect((await verifyAccessToken(refreshed.session!.access_token, JWT_SECRET)).session_id).toBe(
      decodeJwt(data.session!.access_token).session_id,
    );
    const rows = await database.handle.query<{ token: string; revoked: boolean; parent: string | null }>(
      `select token, revoked, parent from auth.refresh_tokens where token in ($1, $2) order by id`,
      [first, second],
    );
    expect(rows).toEqual([
      { token: first, revoked: true, parent: null },
      { token: second, revoked: false, parent: first },
    ]);

    // Within the 10 s reuse interval the old token answers with the session's current token
    // (a client that lost the previous answer), as GoTrue does; nothing new is issued.
    const { data: reused, error: reuseError } = await client().auth.refreshSession({ refresh_token: first });
    expect(reuseError).toBeNull();
    expect(reused.session!.refresh_token).toBe(second);
    expect(await count("auth.refresh_tokens where user_id = $1", [user.id])).toBe(2);
  });

  it("ends the whole session when a revoked refresh token is reused outside the interval", async () => {
    const user = await createConfirmedUser("reuse");
    const { supabase, data } = await signIn(user.email, PASSWORD, { url: strictUrl });
    const first = data.session!.refresh_token;
    const { data: refreshed } = await supabase.auth.refreshSession();
    const second = refreshed.session!;

    const { error } = await client({ url: strictUrl }).auth.refreshSession({ refresh_token: first });
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({ code: "refresh_token_already_used", status: 400, message: "Invalid Refresh Token: Already Used" });

    const { error: childError } = await client({ url: strictUrl }).auth.refreshSession({ refresh_token: second.refresh_token });
    expect(childError).toMatchObject({ code: "refresh_token_not_found", status: 400 });
    const me = await raw("/user", { url: strictUrl, headers: { authorization: `Bearer ${second.access_token}` } });
    expect(me).toMatchObject({ status: 403, body: { code: "session_not_found" } });
    expect(await count("auth.sessions where user_id = $1::uuid", [user.id])).toBe(0);
  });

  it("answers unknown refresh tokens with refresh_token_not_found", async () => {
    const { error } = await client().auth.refreshSession({ refresh_token: "not-a-token-we-issued" });
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({
      code: "refresh_token_not_found",
      status: 400,
      message: "Invalid Refresh Token: Refresh Token Not Found",
    });
  });

  it("updates the password: new one works, old one fails, other sessions end", async () => {
    const user = await createConfirmedUser("password");
    const other = await signIn(user.email);
    const { supabase } = await signIn(user.email);
    const newPassword = "a brand new passphrase";

    const weak = await supabase.auth.updateUser({ password: "short" });
    expect(weak.error).toBeInstanceOf(AuthWeakPasswordError);
    expect(weak.error).toMatchObject({ code: "weak_password", status: 422, reasons: ["length", "pwned"] });
    // The portal's policy (app/auth/password-policy.ts) with GoTrue's reasons.
    for (const [password, reasons] of [
      ["woaini1314", ["pwned"]],
      ["\u200b".repeat(8), ["characters"]],
      ["P@ssw0rd2024", ["pwned"]],
    ] as const) {
      const refused = await supabase.auth.updateUser({ password });
      expect(refused.error).toMatchObject({ code: "weak_password", status: 422, reasons });
    }
    const same = await supabase.auth.updateUser({ password: PASSWORD });
    expect(same.error).toMatchObject({ code: "same_password", status: 422 });

    const { data, error } = await supabase.auth.updateUser({ password: newPassword });
    expect(error).toBeNull();
    expect(data.user!.id).toBe(user.id);
    const [row] = await database.handle.query<{ encrypted_password: string }>(`select encrypted_password from auth.users where id = $1`, [
      user.id,
    ]);
    expect(row.encrypted_password).toMatch(/^\$2[aby]\$10\$/);

    expect((await signIn(user.email, PASSWORD)).error).toMatchObject({ code: "invalid_credentials", status: 400 });
    expect((await signIn(user.email, newPassword)).error).toBeNull();
    // The session that changed the password lives on; the other one ended (GoTrue's UpdatePassword).
    expect((await supabase.auth.refreshSession()).error).toBeNull();
    const { error: otherError } = await client().auth.refreshSession({ refresh_token: other.data.session!.refresh_token });
    expect(otherError).toMatchObject({ code: "refresh_token_not_found" });
  });

  it("merges user metadata, refuses app_metadata from users and holds an email change until it is confirmed", async () => {
    const user = await createConfirmedUser("metadata", { display_name: "李老师", school: "合川" });
    const { supabase } = await signIn(user.email);
    const { data, error } = await supabase.auth.updateUser({ data: { preferred_language: "bo", school: null } });
    expect(error).toBeNull();
    expect(data.user!.user_metadata).toEqual({ display_name: "李老师", preferred_language: "bo" });

    const moved = freshEmail("moved");
    const email = await supabase.auth.updateUser({ email: moved });
    expect(email.error).toBeNull();
    expect(email.data.user).toMatchObject({ email: user.email, new_email: moved });
    const app = await raw("/user", {
      method: "PUT",
      headers: {
        authorization: `Bearer ${(await supabase.auth.getSession()).data.session!.access_token}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ app_metadata: { role: "admin" } }),
    });
    expect(app).toMatchObject({ status: 403, body: { code: "not_admin" } });
  });

  it("signs out: the old refresh token then fails with refresh_token_not_found", async () => {
    const user = await createConfirmedUser("signout");
    const { supabase, data } = await signIn(user.email);
    const { refresh_token, access_token } = data.session!;
    expect((await supabase.auth.signOut()).error).toBeNull();

    const { error } = await client().auth.refreshSession({ refresh_token });
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({ code: "refresh_token_not_found", status: 400 });
    const me = await raw("/user", { headers: { authorization: `Bearer ${access_token}` } });
    expect(me).toMatchObject({ status: 403, body: { code: "session_not_found" } });
    const { error: getUserError } = await client().auth.getUser(access_token);
    expect(isAuthSessionMissingError(getUserError)).toBe(true);
  });

  it("signs out locally or others only, as asked", async () => {
    const user = await createConfirmedUser("scopes");
    const a = await signIn(user.email);
    const b = await signIn(user.email);
    const c = await signIn(user.email);
    expect((await a.supabase.auth.signOut({ scope: "local" })).error).toBeNull();
    expect((await client().auth.refreshSession({ refresh_token: a.data.session!.refresh_token })).error).toMatchObject({
      code: "refresh_token_not_found",
    });
    expect((await b.supabase.auth.signOut({ scope: "others" })).error).toBeNull();
    expect((await client().auth.refreshSession({ refresh_token: c.data.session!.refresh_token })).error).toMatchObject({
      code: "refresh_token_not_found",
    });
    expect((await b.supabase.auth.refreshSession()).error).toBeNull();
    const bad = await raw("/logout?scope=everywhere", {
      method: "POST",
      headers: { authorization: `Bearer ${(await b.supabase.auth.getSession()).data.session!.access_token}` },
    });
    expect(bad).toMatchObject({ status: 400, body: { code: "validation_failed" } });
  });

  it("answers GoTrue's authentication errors on /user", async () => {
    const missing = await raw("/user");
    expect(missing).toMatchObject({ status: 401, body: { code: "no_authorization" } });
    const expired = await new SignJWT({ sub: randomUUID(), role: "authenticated", aud: "authenticated" })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const bad = await raw("/user", { headers: { authorization: `Bearer ${expired}` } });
    expect(bad).toMatchObject({ status: 403, body: { code: "bad_jwt" } });
    const garbage = await raw("/user", { headers: { authorization: "Bearer not.a.jwt" } });
    expect(garbage).toMatchObject({ status: 403, body: { code: "bad_jwt" } });
  });

  it("blocks an address after 5 failures in a row from one client IP, with Retry-After; the owner elsewhere still signs in", async () => {
    const user = await createConfirmedUser("ratelimit");
    const ip = freshIp();
    for (let i = 0; i < 4; i++) expect((await signIn(user.email, "wrong password", { ip })).error?.code).toBe("invalid_credentials");
    // A success clears the count...
    expect((await signIn(user.email, PASSWORD, { ip })).error).toBeNull();
    for (let i = 0; i < 5; i++) expect((await signIn(user.email, "wrong password", { ip })).error?.code).toBe("invalid_credentials");
    // ...five failures in a row block the address from that IP, even with the right password.
    const blocked = await signIn(user.email, PASSWORD, { ip });
    expect(blocked.error).toBeInstanceOf(AuthApiError);
    expect(blocked.error).toMatchObject({ code: "over_request_rate_limit", status: 429 });
    const response = await raw("/token?grant_type=password", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify({ email: user.email.toUpperCase(), password: PASSWORD }),
    });
    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({ code: "over_request_rate_limit" });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    // The owner, at school or on their phone, is not locked out by whoever guessed.
    expect((await signIn(user.email, PASSWORD, { ip: freshIp() })).error).toBeNull();
  });

  it("checks 5 passwords, not more, when 40 guesses arrive at once", async () => {
    const user = await createConfirmedUser("parallel");
    const ip = freshIp();
    const answers = await Promise.all(Array.from({ length: 40 }, () => signIn(user.email, "wrong password", { ip })));
    const codes = answers.map((a) => a.error?.code);
    expect(codes.filter((c) => c === "invalid_credentials")).toHaveLength(5);
    expect(codes.filter((c) => c === "over_request_rate_limit")).toHaveLength(35);
  });

  it("slows guesses at one address from many IPs to one per 1, 2, 4 … s: 40 at once get 6 or 7 checks, and the owner waits seconds", async () => {
    const user = await createConfirmedUser("spray");
    const answers = await Promise.all(Array.from({ length: 40 }, () => signIn(user.email, "wrong password", { ip: freshIp() })));
    const codes = answers.map((a) => a.error?.code);
    // Five free attempts, then one per delay window (a second window opens if the burst outlasts the first's 1 s).
    const checked = codes.filter((c) => c === "invalid_credentials").length;
    expect(checked).toBeGreaterThanOrEqual(6);
    expect(checked).toBeLessThanOrEqual(7);
    // Two more at once: the gate lets at most one through, and tells the other how long to wait (2 or 4 s after 6 or 7 wrong passwords).
    const next = await Promise.all(
      [0, 1].map(() =>
        raw("/token?grant_type=password", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": freshIp() },
          body: JSON.stringify({ email: user.email, password: "wrong password" }),
        }),
      ),
    );
    const refused = next.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0].body).toMatchObject({ code: "over_request_rate_limit" });
    const wait = Math.max(...refused.map((r) => Number(r.headers.get("retry-after"))));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(4);
    // The owner, after that wait, signs in: slowed, never locked out.
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
    expect((await signIn(user.email, PASSWORD, { ip: freshIp() })).error).toBeNull();
  });

  it("keeps a school behind one address signing in: 36 mistyped passwords across its teachers block nobody", async () => {
    const school = freshIp();
    const teachers = await Promise.all(Array.from({ length: 12 }, (_, i) => createConfirmedUser(`nat${i}`)));
    for (const teacher of teachers) {
      for (let i = 0; i < 3; i++)
        expect((await signIn(teacher.email, "wrong password", { ip: school })).error?.code).toBe("invalid_credentials");
    }
    for (const teacher of teachers) expect((await signIn(teacher.email, PASSWORD, { ip: school })).error).toBeNull();
  });

  it("blocks one client IP after 100 failures an hour across any addresses, and nobody else", async () => {
    const user = await createConfirmedUser("iplimit");
    const ip = freshIp();
    const guesses = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn(freshEmail(`guess${i}`), "wrong password", { ip })));
    expect(guesses.every((g) => g.error?.code === "invalid_credentials")).toBe(true);
    expect((await signIn(user.email, PASSWORD, { ip })).error).toMatchObject({ code: "over_request_rate_limit", status: 429 });
    expect((await signIn(user.email, PASSWORD, { ip: freshIp() })).error).toBeNull();
  });

  it("keeps its counts in the database: another Auth server on the same database (or this one restarted) still blocks", async () => {
    const user = await createConfirmedUser("restart");
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await signIn(user.email, "wrong password", { ip })).error?.code).toBe("invalid_credentials");
    expect((await signIn(user.email, PASSWORD, { ip, url: strictUrl })).error).toMatchObject({
      code: "over_request_rate_limit",
      status: 429,
    });
    const [row] = await database.handle.query<{ points: number }>("select points from auth.tongke_sign_in_limits where key = $1", [
      `signin-email-ip:${user.email.toLowerCase()}|${ip}`,
    ]);
    expect(row.points).toBeGreaterThanOrEqual(5);
  });

  it("serves the admin API to the service role only", async () => {
    const admin = adminClient().auth.admin;
    const email = freshEmail("Admin-Made").toUpperCase();
    const created = await admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { display_name: "赵老师" },
      app_metadata: { tongke_role: "teacher" },
    });
    expect(created.error).toBeNull();
    const id = created.data.user!.id;
    expect(created.data.user).toMatchObject({
      email: email.toLowerCase(),
      user_metadata: { display_name: "赵老师" },
      app_metadata: { provider: "email", providers: ["email"], tongke_role: "teacher" },
      identities: [expect.objectContaining({ provider: "email", identity_data: expect.objectContaining({ email: email.toLowerCase() }) })],
    });
    expect(created.data.user!.email_confirmed_at).toEqual(expect.any(String));

    const duplicate = await admin.createUser({ email, password: PASSWORD });
    expect(duplicate.error).toMatchObject({ code: "email_exists", status: 422 });
    const weak = await admin.createUser({ email: freshEmail("weak"), password: "123" });
    expect(weak.error).toMatchObject({ code: "weak_password", status: 422 });
    const common = await admin.createUser({ email: freshEmail("common"), password: "qwertyuiop" });
    expect(common.error).toMatchObject({ code: "weak_password", status: 422, reasons: ["pwned"] });
    const invalid = await admin.createUser({ email: "not-an-email", password: PASSWORD });
    expect(invalid.error).toMatchObject({ code: "validation_failed", status: 400 });

    const fetched = await admin.getUserById(id);
    expect(fetched.data.user).toMatchObject({ id, email: email.toLowerCase() });
    const missing = await admin.getUserById(randomUUID());
    expect(missing.error).toMatchObject({ code: "user_not_found", status: 404 });

    const total = await count("auth.users where aud = 'authenticated'");
    // At most 5 pages: auth-js reads only the first digit of the last page's number from the Link header.
    const perPage = Math.ceil(total / 5);
    const page = await admin.listUsers({ page: 1, perPage });
    expect(page.error).toBeNull();
    expect(page.data.users).toHaveLength(perPage);
    expect(page.data).toMatchObject({ aud: "authenticated", total, nextPage: 2, lastPage: Math.ceil(total / perPage) });
    expect(page.data.users[0].id).toBe(id); // newest first

    const updated = await admin.updateUserById(id, { user_metadata: { display_name: null, grade: 3 }, password: "another good one" });
    expect(updated.error).toBeNull();
    expect(updated.data.user!.user_metadata).toEqual({ grade: 3 });
    expect((await signIn(email, "another good one")).error).toBeNull();

    expect((await admin.updateUserById(id, { ban_duration: "24h" })).error).toBeNull();
    expect((await signIn(email, "another good one")).error).toMatchObject({ code: "user_banned", status: 400 });
    expect((await admin.updateUserById(id, { ban_duration: "none" })).error).toBeNull();
    const session = (await signIn(email, "another good one")).data.session!;

    expect((await admin.deleteUser(id)).error).toBeNull();
    expect((await admin.getUserById(id)).error).toMatchObject({ code: "user_not_found" });
    expect(await count("auth.sessions where user_id = $1::uuid", [id])).toBe(0);
    expect(await count("auth.refresh_tokens where user_id = $1", [id])).toBe(0);
    expect((await client().auth.refreshSession({ refresh_token: session.refresh_token })).error).toMatchObject({
      code: "refresh_token_not_found",
    });
  });

  it("refuses the admin API to the anon key and to users with not_admin (403)", async () => {
    const anon = client().auth.admin;
    const user = await createConfirmedUser("not-admin");
    const attempts = [
      await anon.createUser({ email: freshEmail("sneaky"), password: PASSWORD }),
      await anon.listUsers(),
      await anon.getUserById(user.id),
      await anon.updateUserById(user.id, { app_metadata: { platform_admin: true } }),
      await anon.deleteUser(user.id),
    ];
    for (const { error } of attempts) {
      expect(error).toBeInstanceOf(AuthApiError);
      expect(error).toMatchObject({ code: "not_admin", status: 403, message: "User not allowed" });
    }
    const { data } = await signIn(user.email);
    const asUser = await raw("/admin/users", { headers: { authorization: `Bearer ${data.session!.access_token}` } });
    expect(asUser).toMatchObject({ status: 403, body: { code: "not_admin" } });
    expect((await adminClient().auth.admin.getUserById(user.id)).data.user).toMatchObject({ id: user.id });
  });

  it("refuses malformed, oversized and non-JSON bodies cleanly, writing nothing", async () => {
    const sessionsBefore = await count("auth.sessions");
    const usersBefore = await count("auth.users");
    const admin = { authorization: `Bearer ${keys.serviceRoleKey}`, apikey: keys.serviceRoleKey };

    const malformed = await raw("/token?grant_type=password", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email": "a@example.test", "password": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: "bad_json", message: expect.stringContaining("Could not parse request body as JSON") });
    expect(malformed.headers.get("x-supabase-api-version")).toBe("2024-01-01");
    expect(malformed.headers.get("content-type")).toMatch(/^application\/json/);

    const legacy = await raw("/admin/users", {
      method: "POST",
      apiVersion: false,
      headers: { ...admin, "content-type": "application/json" },
      body: "[1, 2",
    });
    expect(legacy).toMatchObject({ status: 400, body: { code: 400, error_code: "bad_json", msg: expect.any(String) } });
    expect(legacy.headers.get("x-supabase-api-version")).toBeNull();

    const wrongType = await raw("/admin/users", {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ email: 42, password: PASSWORD }),
    });
    expect(wrongType).toMatchObject({ status: 400, body: { code: "bad_json" } });

    const huge = await raw("/admin/users", {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ email: freshEmail("huge"), password: PASSWORD, user_metadata: { blob: "x".repeat(70 * 1024) } }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ code: "validation_failed" });

    const text = await raw("/admin/users", {
      method: "POST",
      headers: { ...admin, "content-type": "text/plain" },
      body: JSON.stringify({ email: freshEmail("text"), password: PASSWORD }),
    });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ code: "validation_failed" });

    expect(await count("auth.sessions")).toBe(sessionsBefore);
    expect(await count("auth.users")).toBe(usersBefore);
  });

  it("accepts the token endpoint's form encoding, as OAuth clients send it", async () => {
    const user = await createConfirmedUser("form");
    const response = await raw("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": freshIp() },
      body: new URLSearchParams({ grant_type: "password", email: user.email, password: PASSWORD }).toString(),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: "bearer", user: { id: user.id } });
  });

  it("lets concurrent refreshes of one token (several tabs) share a single rotation", async () => {
    const user = await createConfirmedUser("tabs");
    const { data } = await signIn(user.email);
    const refresh = () =>
      raw("/token?grant_type=refresh_token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh_token: data.session!.refresh_token }),
      });
    const answers = await Promise.all([refresh(), refresh(), refresh()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const issued = new Set(answers.map((a) => a.body!.refresh_token));
    expect(issued.size).toBe(1);
    expect(await count("auth.refresh_tokens where user_id = $1 and revoked = false", [user.id])).toBe(1);
  });

  it("refuses unconfirmed emails, changes addresses and soft-deletes through the admin API", async () => {
    const admin = adminClient().auth.admin;
    const email = freshEmail("unconfirmed");
    const created = await admin.createUser({ email, password: PASSWORD });
    const id = created.data.user!.id;
    expect(created.data.user!.email_confirmed_at).toBeUndefined();
    expect((await signIn(email)).error).toMatchObject({ code: "email_not_confirmed", status: 400 });

    const moved = freshEmail("moved");
    const updated = await admin.updateUserById(id, { email: moved, email_confirm: true });
    expect(updated.error).toBeNull();
    expect(updated.data.user).toMatchObject({
      email: moved,
      identities: [expect.objectContaining({ identity_data: expect.objectContaining({ email: moved, email_verified: true }) })],
    });
    expect((await signIn(email)).error).toMatchObject({ code: "invalid_credentials" });
    expect((await signIn(moved)).error).toBeNull();
    const taken = await admin.updateUserById(id, { email: (await createConfirmedUser("taken")).email });
    expect(taken.error).toMatchObject({ code: "email_exists", status: 422 });

    expect((await admin.deleteUser(id, true)).error).toBeNull();
    const [row] = await database.handle.query<{ email: string | null; deleted_at: Date | null }>(
      `select email, deleted_at from auth.users where id = $1`,
      [id],
    );
    expect(row.email).toBeNull();
    expect(row.deleted_at).not.toBeNull();
    expect(await count("auth.sessions where user_id = $1::uuid", [id])).toBe(0);
    expect((await signIn(moved)).error).toMatchObject({ code: "invalid_credentials" });
    expect((await admin.createUser({ email: moved, password: PASSWORD })).error).toBeNull();
  });

  it("answers unknown paths with GoTrue-style JSON", async () => {
    const response = await raw("/no-such-endpoint");
    expect(response).toMatchObject({ status: 404, body: { code: "not_found" } });
  });
});

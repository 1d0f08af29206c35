import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthApiError } from "@supabase/supabase-js";
import { createOutboxRouter } from "../../embedded/auth/outbox.server";
import type { EmbeddedAuthOptions } from "../../embedded/auth/router.server";
import { INVITE_SUBJECT } from "../../embedded/auth/mailer.server";
import { createLocalKeys, verifyAccessToken } from "../../app/auth/keys.server";
import { testDbTarget } from "../support/database";
import { authClient, createAuthServers, freshEmail, mailsTo as mailsToOf, tokenHashOf } from "../support/auth-server";
import { setupTestDatabase } from "../support/db-suite";

const JWT_SECRET = "tongke-auth-invite-test-secret-0123456789abcdef";
const PASSWORD = "a good passphrase 同课";

const database = setupTestDatabase();
let keys: { anonKey: string; serviceRoleKey: string };
let baseUrl: string;

const authServers = createAuthServers(() => ({ handle: database.handle, jwtSecret: JWT_SECRET, ...keys }));
// As the app mounts it: the handle may still be opening.
const serve = (extra: Partial<EmbeddedAuthOptions> = {}) =>
  authServers.serve(extra, (app) => app.use("/dev/outbox", createOutboxRouter({ handle: () => Promise.resolve(database.handle) })));

beforeAll(async () => {
  keys = await createLocalKeys(JWT_SECRET);
  baseUrl = await serve();
});

afterAll(async () => {
  await authServers.close();
});

let ipCounter = 0;
/** Each client speaks from its own address, so failed verifications of one test never limit another. */
const freshIp = () => `203.0.113.${++ipCounter}`;

const client = (options: { key?: string; url?: string } = {}) => authClient(options.url ?? baseUrl, options.key ?? keys.anonKey, freshIp());
const admin = (url = baseUrl) => client({ key: keys.serviceRoleKey, url }).auth.admin;

const mailsTo = (email: string) => mailsToOf(database.handle, email);
const userRow = async (id: string) =>
  (
    await database.handle.query<{
      email_confirmed_at: Date | null;
      invited_at: Date | null;
      confirmation_token: string;
      confirmation_sent_at: Date | null;
      encrypted_password: string;
    }>(
      `select email_confirmed_at, invited_at, confirmation_token, confirmation_sent_at, encrypted_password from auth.users where id = $1`,
      [id],
    )
  )[0];

const DATA = { display_name: "邓小梅", invited_by_name: "王校长", school_name: "重庆市合川区南屏小学", preferred_language: "zh-CN" };

/** Invites a fresh address with the service key; returns the user and the one mail. */
async function inviteSomeone(label: string, data: Record<string, unknown> = DATA, redirectTo?: string) {
  const email = freshEmail(label);
  const { data: result, error } = await admin().inviteUserByEmail(email, { data, redirectTo: redirectTo ?? `${baseUrl}/schools/42` });
  expect(error).toBeNull();
  const mails = await mailsTo(email);
  expect(mails).toHaveLength(1);
  return { email, user: result.user!, mail: mails[0], tokenHash: tokenHashOf(mails[0]) };
}

async function raw(path: string, init: RequestInit = {}) {
  const response = await fetch(`${baseUrl}${path}`, { redirect: "manual", ...init });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // HTML pages stay text.
  }
  return { status: response.status, headers: response.headers, body, text };
}

describe(`invitations and email-link verification with the real supabase-js client (${testDbTarget})`, () => {
  it("invites with the service key: an unconfirmed user without a password and exactly one mail with a token_hash link", async () => {
    const { email, user, mail, tokenHash } = await inviteSomeone("invite");
    expect(user).toMatchObject({
      email,
      aud: "authenticated",
      role: "authenticated",
      invited_at: expect.any(String),
      confirmation_sent_at: expect.any(String),
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: DATA,
      identities: [
        expect.objectContaining({ provider: "email", identity_data: expect.objectContaining({ email, email_verified: false }) }),
      ],
    });
    expect(user.email_confirmed_at).toBeUndefined();

    expect(mail).toMatchObject({ to_email: email, subject: INVITE_SUBJECT, kind: "invite" });
    const link = new URL(mail.link!);
    expect(`${link.origin}${link.pathname}`).toBe(`${baseUrl}/auth/confirm`);
    expect(link.searchParams.get("type")).toBe("invite");
    expect(link.searchParams.get("redirect_to")).toBe(`${baseUrl}/schools/42`);
    expect(tokenHash).toMatch(/^[0-9a-f]{56}$/);
    expect(mail.html).toContain("王校长邀请您加入重庆市合川区南屏小学");
    expect(mail.text_body).toContain(mail.link);

    const row = await userRow(user.id);
    expect(row).toMatchObject({ email_confirmed_at: null, confirmation_token: tokenHash, encrypted_password: "" });
    expect(row.invited_at).not.toBeNull();
    expect(new Date(row.confirmation_sent_at!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // An invited user cannot sign in before accepting.
    const { error } = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(error).toMatchObject({ code: "invalid_credentials", status: 400 });
  });

  it("refuses invitations without the service key (403 not_admin) and writes nothing", async () => {
    const email = freshEmail("anon");
    const { data, error } = await client().auth.admin.inviteUserByEmail(email);
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({ code: "not_admin", status: 403 });
    expect(data.user).toBeNull();
    expect(await mailsTo(email)).toHaveLength(0);
    expect(await database.handle.query(`select 1 from auth.users where email = $1`, [email])).toHaveLength(0);
  });

  it("refuses invalid addresses with 400 validation_failed", async () => {
    for (const email of ["not-an-address", "", "a b@example.test"]) {
      const { error } = await admin().inviteUserByEmail(email);
      expect(error, email).toBeInstanceOf(AuthApiError);
      expect(error, email).toMatchObject({ code: "validation_failed", status: 400 });
    }
  });

  it("answers 422 email_exists for a confirmed address", async () => {
    const email = freshEmail("confirmed");
    expect((await admin().createUser({ email, password: PASSWORD, email_confirm: true })).error).toBeNull();
    const { error } = await admin().inviteUserByEmail(email.toUpperCase());
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({ code: "email_exists", status: 422 });
    expect(await mailsTo(email)).toHaveLength(0);
  });

  it("re-sends to an invited address that was never confirmed: a new token, the old one dead, the metadata kept", async () => {
    const first = await inviteSomeone("again");
    const { data, error } = await admin().inviteUserByEmail(first.email, { data: { display_name: "Someone else" } });
    expect(error).toBeNull();
    expect(data.user!.id).toBe(first.user.id);
    expect(data.user!.user_metadata).toEqual(DATA);
    const mails = await mailsTo(first.email);
    expect(mails).toHaveLength(2);
    const second = tokenHashOf(mails[1]);
    expect(second).not.toBe(first.tokenHash);
    expect(mails[1].html).toContain("邓小梅");

    const stale = await client().auth.verifyOtp({ type: "invite", token_hash: first.tokenHash });
    expect(stale.error).toMatchObject({ code: "otp_expired", status: 403 });
    const fresh = await client().auth.verifyOtp({ type: "invite", token_hash: second });
    expect(fresh.error).toBeNull();
  });

  it("verifyOtp({type: 'invite', token_hash}) confirms the address and returns a session whose token verifies; the link works once", async () => {
    const { email, user, tokenHash } = await inviteSomeone("accept");
    const supabase = client();
    const { data, error } = await supabase.auth.verifyOtp({ type: "invite", token_hash: tokenHash });
    expect(error).toBeNull();
    const session = data.session!;
    expect(session).toMatchObject({ token_type: "bearer", expires_in: 3600, refresh_token: expect.any(String) });
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(data.user).toMatchObject({ id: user.id, email, email_confirmed_at: expect.any(String), user_metadata: DATA });

    const claims = await verifyAccessToken(session.access_token, JWT_SECRET);
    expect(claims).toMatchObject({ sub: user.id, email, role: "authenticated", aud: "authenticated", iss: `${baseUrl}/auth/v1` });
    expect(decodeJwt(session.access_token)).toMatchObject({ amr: [{ method: "otp" }] });
    const row = await userRow(user.id);
    expect(row.email_confirmed_at).not.toBeNull();
    expect(row.confirmation_token).toBe("");
    const [identity] = await database.handle.query<{ identity_data: Record<string, unknown> }>(
      `select identity_data from auth.identities where user_id = $1 and provider = 'email'`,
      [user.id],
    );
    expect(identity.identity_data).toMatchObject({ email, email_verified: true });
    expect((await supabase.auth.getUser()).data.user).toMatchObject({ id: user.id, email });

    const again = await client().auth.verifyOtp({ type: "invite", token_hash: tokenHash });
    expect(again.error).toBeInstanceOf(AuthApiError);
    expect(again.error).toMatchObject({ code: "otp_expired", status: 403, message: "Email link is invalid or has expired" });
    expect(again.data.session).toBeNull();

    // And now the invitee is a confirmed user: inviting the address again is refused.
    expect((await admin().inviteUserByEmail(email)).error).toMatchObject({ code: "email_exists", status: 422 });
  });

  it("lets the invitee set a password on that session and sign in with it", async () => {
    const { email, tokenHash } = await inviteSomeone("password");
    const supabase = client();
    expect((await supabase.auth.verifyOtp({ type: "invite", token_hash: tokenHash })).error).toBeNull();
    const { error } = await supabase.auth.updateUser({ password: PASSWORD });
    expect(error).toBeNull();
    const signIn = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toBeNull();
    expect(signIn.data.user).toMatchObject({ email, email_confirmed_at: expect.any(String) });
    expect(decodeJwt(signIn.data.session!.access_token)).toMatchObject({ amr: [{ method: "password" }] });
  });

  it("answers otp_expired for a made-up token and for one older than 24 hours (23 hours still works)", async () => {
    const madeUp = await client().auth.verifyOtp({ type: "invite", token_hash: "f".repeat(56) });
    expect(madeUp.error).toBeInstanceOf(AuthApiError);
    expect(madeUp.error).toMatchObject({ code: "otp_expired", status: 403 });

    const old = await inviteSomeone("expired");
    await database.handle.query(`update auth.users set confirmation_sent_at = now() - interval '25 hours' where id = $1`, [old.user.id]);
    const expired = await client().auth.verifyOtp({ type: "invite", token_hash: old.tokenHash });
    expect(expired.error).toMatchObject({ code: "otp_expired", status: 403, message: "Email link is invalid or has expired" });
    expect((await userRow(old.user.id)).email_confirmed_at).toBeNull();

    const recent = await inviteSomeone("recent");
    await database.handle.query(`update auth.users set confirmation_sent_at = now() - interval '23 hours' where id = $1`, [recent.user.id]);
    expect((await client().auth.verifyOtp({ type: "invite", token_hash: recent.tokenHash })).error).toBeNull();
  });

  it("accepts 'signup' and 'email' for the same token; another type's link is 403 otp_expired, malformed requests 400 validation_failed", async () => {
    const a = await inviteSomeone("as-email");
    expect((await client().auth.verifyOtp({ type: "email", token_hash: a.tokenHash })).error).toBeNull();
    const b = await inviteSomeone("as-signup");
    expect((await client().auth.verifyOtp({ type: "signup", token_hash: b.tokenHash })).error).toBeNull();

    const c = await inviteSomeone("bad-type");
    // The other link types exist, but an invitation's token is not one of theirs (GoTrue: 403 otp_expired).
    for (const type of ["recovery", "magiclink", "email_change"] as const) {
      const { error } = await client().auth.verifyOtp({ type, token_hash: c.tokenHash });
      expect(error, type).toMatchObject({ code: "otp_expired", status: 403 });
    }
    const post = (body: unknown) =>
      raw("/auth/v1/verify", {
        method: "POST",
        headers: { "content-type": "application/json", apikey: keys.anonKey, "x-supabase-api-version": "2024-01-01" },
        body: JSON.stringify(body),
      });
    expect(await post({ type: "nonsense", token_hash: c.tokenHash })).toMatchObject({ status: 400, body: { code: "validation_failed" } });
    expect(await post({ token_hash: c.tokenHash })).toMatchObject({
      status: 400,
      body: { code: "validation_failed", message: "Verify requires a verification type" },
    });
    expect(await post({ type: "invite" })).toMatchObject({ status: 400, body: { code: "validation_failed" } });
    expect(await post({ type: "invite", token_hash: c.tokenHash, email: c.email })).toMatchObject({
      status: 400,
      body: { code: "validation_failed", message: "Only the token_hash and type should be provided" },
    });
    // An emailed code (never sent by this server) for the address: wrong, so otp_expired.
    expect(await post({ type: "invite", email: c.email, token: "123456" })).toMatchObject({ status: 403, body: { code: "otp_expired" } });
    expect((await userRow(c.user.id)).confirmation_token).toBe(c.tokenHash);
  });

  it("serves /verify without an API key, as Supabase's gateway does; a banned invitee is refused", async () => {
    const { user, tokenHash } = await inviteSomeone("open");
    const response = await raw("/auth/v1/verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "invite", token_hash: tokenHash }),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ access_token: expect.any(String), user: { id: user.id } });

    const banned = await inviteSomeone("banned");
    expect((await admin().updateUserById(banned.user.id, { ban_duration: "24h" })).error).toBeNull();
    const { error } = await client().auth.verifyOtp({ type: "invite", token_hash: banned.tokenHash });
    expect(error).toMatchObject({ code: "user_banned", status: 403 });
  });

  it("one token, two verifications at once: exactly one session", async () => {
    const { user, tokenHash } = await inviteSomeone("race");
    const results = await Promise.all([0, 1, 2].map(() => client().auth.verifyOtp({ type: "invite", token_hash: tokenHash })));
    expect(results.filter((r) => r.error === null)).toHaveLength(1);
    expect(results.filter((r) => r.error?.code === "otp_expired")).toHaveLength(2);
    const [{ n }] = await database.handle.query<{ n: number }>(`select count(*)::int as n from auth.sessions where user_id = $1`, [
      user.id,
    ]);
    expect(n).toBe(1);
  });

  it("uses the site URL when redirect_to points elsewhere", async () => {
    const { mail } = await inviteSomeone("elsewhere", DATA, "https://evil.example/steal");
    expect(new URL(mail.link!).searchParams.get("redirect_to")).toBe(baseUrl);
  });

  it("GET /verify (GoTrue's link form) redirects with the session, or the error, in the fragment", async () => {
    const { user, tokenHash } = await inviteSomeone("get");
    const target = `${baseUrl}/welcome?next=%2Fschools%2F42`;
    const ok = await raw(`/auth/v1/verify?token=${tokenHash}&type=invite&redirect_to=${encodeURIComponent(target)}`);
    expect(ok.status).toBe(303);
    const location = new URL(ok.headers.get("location")!);
    expect(`${location.origin}${location.pathname}${location.search}`).toBe(target);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(Object.fromEntries(fragment)).toMatchObject({ token_type: "bearer", expires_in: "3600", type: "invite", sb: "" });
    expect((await verifyAccessToken(fragment.get("access_token")!, JWT_SECRET)).sub).toBe(user.id);
    expect(fragment.get("refresh_token")).toBeTruthy();

    const again = await raw(`/auth/v1/verify?token=${tokenHash}&type=invite&redirect_to=${encodeURIComponent(target)}`);
    expect(again.status).toBe(303);
    const error = new URL(again.headers.get("location")!);
    expect(Object.fromEntries(new URLSearchParams(error.hash.slice(1)))).toEqual({
      error: "access_denied",
      error_code: "otp_expired",
      error_description: "Email link is invalid or has expired",
    });
    const missing = await raw(`/auth/v1/verify?type=invite`, { headers: { "x-supabase-api-version": "2024-01-01" } });
    expect(missing).toMatchObject({ status: 400, body: { code: "validation_failed" } });
  });

  it("limits failed verifications per client address (429 with Retry-After)", async () => {
    const strict = await serve({ verifyRateLimit: { points: 3, durationSeconds: 60 } });
    const ip = "198.51.100.77";
    const post = () =>
      fetch(`${strict}/auth/v1/verify`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": ip, "x-supabase-api-version": "2024-01-01" },
        body: JSON.stringify({ type: "invite", token_hash: randomUUID() }),
      });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(403);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: "over_request_rate_limit" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe(`the development outbox (${testDbTarget})`, () => {
  it("lists the mail, in Chinese by default and in English when asked, with the link as a real <a>", async () => {
    const { email, mail } = await inviteSomeone("outbox");
    const zh = await raw("/dev/outbox");
    expect(zh.status).toBe(200);
    expect(zh.headers.get("content-type")).toMatch(/^text\/html/);
    expect(zh.headers.get("cache-control")).toBe("no-store");
    expect(zh.text).toContain('<html lang="zh-CN"');
    expect(zh.text).toContain("<title>开发邮件箱 · 同课 Tongke</title>");
    expect(zh.text).toContain('<meta name="viewport"');
    expect(zh.text).toContain('<th scope="col">收件人</th>');
    expect(zh.text).toContain(`<a href="/dev/outbox/${mail.id}">${email}</a>`);
    expect(zh.text).toContain(`<a href="${mail.link!.replace(/&/g, "&amp;")}">打开链接`);
    expect(zh.text).toContain(INVITE_SUBJECT);
    expect(zh.text).not.toMatch(/<script/i);

    const en = await raw("/dev/outbox", { headers: { "accept-language": "en-GB,en;q=0.9" } });
    expect(en.text).toContain('<html lang="en"');
    expect(en.text).toContain("<h1>Development outbox</h1>");
    expect(en.text).toContain('<th scope="col">To</th>');
    const bo = await raw("/dev/outbox", { headers: { "accept-language": "bo" } });
    expect(bo.text).toContain('<html lang="bo"');
    expect(bo.text).toContain("གསར་སྤེལ་གློག་འཕྲིན་སྒམ།");
  });

  it("shows one mail: details, its link and its text", async () => {
    const { email, mail } = await inviteSomeone("outbox-one");
    const page = await raw(`/dev/outbox/${mail.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<h1>${INVITE_SUBJECT}</h1>`);
    expect(page.text).toContain(`<dd>${email}</dd>`);
    expect(page.text).toContain(`<a href="${mail.link!.replace(/&/g, "&amp;")}">打开链接</a>`);
    expect(page.text).toMatch(/<pre class="scroll" tabindex="0">[^<]*token_hash=/);
    const en = await raw(`/dev/outbox/${mail.id}`, { headers: { "accept-language": "en" } });
    expect(en.text).toContain("<h2>Link in this mail</h2>");
    expect(en.text).toContain("<dd>Invitation</dd>");
  });

  it("escapes a malicious display name everywhere", async () => {
    const evil = `<script>alert("pwned")</script><img src=x onerror=alert(1)>`;
    const { mail } = await inviteSomeone("evil", { display_name: evil, school_name: `"><script>alert(2)</script>` });
    expect(mail.html).not.toContain("<script>");
    for (const path of ["/dev/outbox", `/dev/outbox/${mail.id}`]) {
      const page = await raw(path);
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/<script/i);
      expect(page.text).not.toContain("<img src=x");
    }
    // The text version shows it as text.
    const detail = await raw(`/dev/outbox/${mail.id}`);
    expect(detail.text).toContain("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;");
  });

  it("answers an unknown or malformed id with a translated 404 page", async () => {
    const zh = await raw(`/dev/outbox/${randomUUID()}`);
    expect(zh.status).toBe(404);
    expect(zh.text).toContain('<html lang="zh-CN"');
    expect(zh.text).toContain("<h1>找不到这封邮件</h1>");
    expect(zh.text).toContain('<a href="/dev/outbox/">返回邮件列表</a>');
    const en = await raw("/dev/outbox/not-a-uuid", { headers: { "accept-language": "en" } });
    expect(en.status).toBe(404);
    expect(en.text).toContain("<h1>Mail not found</h1>");
    const deeper = await raw("/dev/outbox/a/b", { headers: { "accept-language": "bo" } });
    expect(deeper.status).toBe(404);
    expect(deeper.text).toContain("གློག་འཕྲིན་འདི་རྙེད་མ་སོང་།");
  });
});

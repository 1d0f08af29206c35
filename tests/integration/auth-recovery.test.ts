import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthApiError } from "@supabase/supabase-js";
import { MAIL_TEMPLATES } from "../../embedded/auth/mailer.server";
import type { EmbeddedAuthOptions } from "../../embedded/auth/router.server";
import { createLocalKeys } from "../../app/auth/keys.server";
import { testDbTarget } from "../support/database";
import { authClient, createAuthServers, freshEmail, mailsTo as mailsToOf, tokenHashOf } from "../support/auth-server";
import { setupTestDatabase } from "../support/db-suite";

const JWT_SECRET = "tongke-auth-recovery-test-secret-0123456789abcdef";
const PASSWORD = "first passphrase 同课";
const NEW_PASSWORD = "second passphrase 类乌齐";

const database = setupTestDatabase();
let keys: { anonKey: string; serviceRoleKey: string };
/** GoTrue's defaults: one mail per minute per user and kind. */
let baseUrl: string;
/** No per-user frequency, to send a kind twice in one test. */
let eagerUrl: string;

const authServers = createAuthServers(() => ({ handle: database.handle, jwtSecret: JWT_SECRET, ...keys }));
const serve = (extra: Partial<EmbeddedAuthOptions> = {}) => authServers.serve(extra);

beforeAll(async () => {
  keys = await createLocalKeys(JWT_SECRET);
  baseUrl = await serve();
  eagerUrl = await serve({ emailMaxFrequencySeconds: 0 });
});

afterAll(async () => {
  await authServers.close();
});

let ipCounter = 0;
const freshIp = () => `192.0.2.${++ipCounter}`;

const client = (options: { key?: string; url?: string } = {}) => authClient(options.url ?? baseUrl, options.key ?? keys.anonKey, freshIp());
const admin = (url = baseUrl) => client({ key: keys.serviceRoleKey, url }).auth.admin;

const mailsTo = (email: string) => mailsToOf(database.handle, email);
const userRow = async (id: string) =>
  (
    await database.handle.query<Record<string, unknown>>(
      `select email, email_confirmed_at, recovery_token, email_change, email_change_token_new, email_change_token_current,
              email_change_confirm_status from auth.users where id = $1`,
      [id],
    )
  )[0];

async function createConfirmedUser(label: string) {
  const email = freshEmail(label);
  const { data, error } = await admin().createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    user_metadata: { display_name: "卓玛" },
  });
  expect(error).toBeNull();
  return { id: data.user!.id, email };
}

async function raw(path: string, init: RequestInit & { url?: string; key?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("apikey", init.key ?? keys.anonKey);
  headers.set("x-supabase-api-version", "2024-01-01");
  headers.set("x-forwarded-for", freshIp());
  if (init.body) headers.set("content-type", "application/json");
  const response = await fetch(`${init.url ?? baseUrl}/auth/v1${path}`, { redirect: "manual", ...init, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

describe(`password recovery, magic links, resend, email change and generate_link with supabase-js (${testDbTarget})`, () => {
  it("recovers a password: resetPasswordForEmail → recovery mail → verifyOtp → updateUser → sign in with the new one", async () => {
    const user = await createConfirmedUser("recover");
    const other = await client().auth.signInWithPassword({ email: user.email, password: PASSWORD });
    expect(other.error).toBeNull();

    const { error } = await client().auth.resetPasswordForEmail(user.email, { redirectTo: `${baseUrl}/schools` });
    expect(error).toBeNull();
    const [mail, ...more] = await mailsTo(user.email);
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ kind: "recovery", subject: MAIL_TEMPLATES.recovery.subject });
    const link = new URL(mail.link!);
    expect(`${link.origin}${link.pathname}`).toBe(`${baseUrl}/auth/confirm`);
    expect(Object.fromEntries(link.searchParams)).toEqual({
      token_hash: expect.stringMatching(/^[0-9a-f]{56}$/),
      type: "recovery",
      redirect_to: `${baseUrl}/schools`,
    });
    for (const words of ["卓玛，您好！", "设置新密码", "གསང་ཨང་གསར་པ་སྒྲིག", "Set a new password", "24"])
      expect(mail.text_body).toContain(words);

    const supabase = client();
    const verified = await supabase.auth.verifyOtp({ type: "recovery", token_hash: tokenHashOf(mail) });
    expect(verified.error).toBeNull();
    expect(verified.data.user!.email).toBe(user.email);
    const claims = decodeJwt(verified.data.session!.access_token) as { amr: { method: string }[] };
    expect(claims.amr[0].method).toBe("otp");
    expect((await userRow(user.id)).recovery_token).toBe("");

    const updated = await supabase.auth.updateUser({ password: NEW_PASSWORD });
    expect(updated.error).toBeNull();
    expect((await client().auth.signInWithPassword({ email: user.email, password: NEW_PASSWORD })).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email: user.email, password: PASSWORD })).error).toMatchObject({
      code: "invalid_credentials",
    });
    // The session opened before the recovery ended with the password change.
    expect((await client().auth.refreshSession({ refresh_token: other.data.session!.refresh_token })).error).toMatchObject({
      code: "refresh_token_not_found",
    });

    // The link is single-use.
    const again = await client().auth.verifyOtp({ type: "recovery", token_hash: tokenHashOf(mail) });
    expect(again.error).toMatchObject({ code: "otp_expired", status: 403 });
  });

  it("answers an unknown address exactly like a known one and mails nothing; refuses malformed ones", async () => {
    const unknown = freshEmail("nobody");
    const known = await createConfirmedUser("known");
    const a = await raw("/recover", { method: "POST", body: JSON.stringify({ email: unknown }) });
    const b = await raw("/recover", { method: "POST", body: JSON.stringify({ email: known.email }) });
    expect(a).toMatchObject({ status: 200, body: {} });
    expect(b).toMatchObject({ status: 200, body: {} });
    expect(await mailsTo(unknown)).toHaveLength(0);
    expect(await mailsTo(known.email)).toHaveLength(1);

    const { error } = await client().auth.resetPasswordForEmail("not-an-address");
    expect(error).toMatchObject({ code: "validation_failed", status: 400 });
    expect(await raw("/recover", { method: "POST", body: "{}" })).toMatchObject({ status: 400, body: { code: "validation_failed" } });
  });

  it("sends one recovery mail a minute per address: 429 over_email_send_rate_limit, nothing written", async () => {
    const user = await createConfirmedUser("often");
    expect((await client().auth.resetPasswordForEmail(user.email)).error).toBeNull();
    const before = (await userRow(user.id)).recovery_token;
    const { error } = await client().auth.resetPasswordForEmail(user.email);
    expect(error).toMatchObject({ code: "over_email_send_rate_limit", status: 429 });
    expect(error!.message).toMatch(/^For security purposes, you can only request this after \d+ seconds\.$/);
    expect(await mailsTo(user.email)).toHaveLength(1);
    expect((await userRow(user.id)).recovery_token).toBe(before);

    // Without the frequency limit, a second mail replaces the first link.
    expect((await client({ url: eagerUrl }).auth.resetPasswordForEmail(user.email)).error).toBeNull();
    const [first, second] = await mailsTo(user.email);
    expect((await client().auth.verifyOtp({ type: "recovery", token_hash: tokenHashOf(first) })).error).toMatchObject({
      code: "otp_expired",
    });
    expect((await client().auth.verifyOtp({ type: "recovery", token_hash: tokenHashOf(second) })).error).toBeNull();
  });

  it("limits the mail-sending routes per client address (429 over_request_rate_limit), counted in the database for every instance", async () => {
    const limit = { emailRequestRateLimit: { points: 2, durationSeconds: 60 } };
    // Two instances of the app on one database: the second sees what was sent through the first.
    const [one, two] = [await serve(limit), await serve(limit)];
    const ip = "198.18.0.9";
    let turn = 0;
    const send = () =>
      fetch(`${[one, two][turn++ % 2]}/auth/v1/recover`, {
        method: "POST",
        headers: {
          apikey: keys.anonKey,
          "content-type": "application/json",
          "x-forwarded-for": ip,
          "x-supabase-api-version": "2024-01-01",
        },
        body: JSON.stringify({ email: freshEmail("spray") }),
      });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const third = await send();
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: "over_request_rate_limit" });
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("signs in with a magic link: signInWithOtp → magiclink mail → verifyOtp (magiclink, and the combined email type)", async () => {
    const user = await createConfirmedUser("magic");
    const { error } = await client().auth.signInWithOtp({
      email: user.email,
      options: { shouldCreateUser: false, emailRedirectTo: `${baseUrl}/live` },
    });
    expect(error).toBeNull();
    const [mail] = await mailsTo(user.email);
    expect(mail).toMatchObject({ kind: "magiclink", subject: MAIL_TEMPLATES.magiclink.subject });
    expect(new URL(mail.link!).searchParams.get("type")).toBe("magiclink");
    expect(new URL(mail.link!).searchParams.get("redirect_to")).toBe(`${baseUrl}/live`);
    const verified = await client().auth.verifyOtp({ type: "magiclink", token_hash: tokenHashOf(mail) });
    expect(verified.error).toBeNull();
    expect(verified.data.session!.user.email).toBe(user.email);

    expect((await client({ url: eagerUrl }).auth.signInWithOtp({ email: user.email })).error).toBeNull();
    const second = (await mailsTo(user.email))[1];
    expect((await client().auth.verifyOtp({ type: "email", token_hash: tokenHashOf(second) })).error).toBeNull();
  });

  it("answers magic links for addresses without an account as GoTrue does with signups off, and phones with no SMS provider", async () => {
    const email = freshEmail("stranger");
    const noCreate = await client().auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    expect(noCreate.error).toMatchObject({ code: "otp_disabled", status: 422 });
    const create = await client().auth.signInWithOtp({ email });
    expect(create.error).toMatchObject({ code: "signup_disabled", status: 422 });
    const phone = await client().auth.signInWithOtp({ phone: "+8613800138000" });
    expect(phone.error).toMatchObject({ code: "phone_provider_disabled", status: 400 });
    expect(await mailsTo(email)).toHaveLength(0);
    expect(await database.handle.query(`select 1 from auth.users where email = $1`, [email])).toHaveLength(0);
  });

  it("resends a confirmation to an invited user who has not accepted; refuses invite as a resend type", async () => {
    const email = freshEmail("resend");
    expect((await admin().inviteUserByEmail(email)).error).toBeNull();
    // The invitation itself set confirmation_sent_at: within the minute, GoTrue refuses.
    const early = await client().auth.resend({ type: "signup", email });
    expect(early.error).toMatchObject({ code: "over_email_send_rate_limit", status: 429 });

    const { error } = await client({ url: eagerUrl }).auth.resend({
      type: "signup",
      email,
      options: { emailRedirectTo: `${baseUrl}/profile` },
    });
    expect(error).toBeNull();
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.kind)).toEqual(["invite", "signup"]);
    expect(new URL(mails[1].link!).searchParams.get("type")).toBe("signup");
    // The new link replaced the invitation's.
    expect((await client().auth.verifyOtp({ type: "invite", token_hash: tokenHashOf(mails[0]) })).error).toMatchObject({
      code: "otp_expired",
    });
    const verified = await client().auth.verifyOtp({ type: "signup", token_hash: tokenHashOf(mails[1]) });
    expect(verified.error).toBeNull();
    expect(verified.data.user!.email_confirmed_at).toEqual(expect.any(String));
    // Confirmed now: nothing more to resend.
    expect((await client({ url: eagerUrl }).auth.resend({ type: "signup", email })).error).toBeNull();
    expect(await mailsTo(email)).toHaveLength(2);

    const invite = await raw("/resend", { method: "POST", body: JSON.stringify({ type: "invite", email }) });
    expect(invite).toMatchObject({
      status: 400,
      body: { code: "validation_failed", message: "Missing one of these types: signup, email_change, sms, phone_change" },
    });
    const unknown = await client().auth.resend({ type: "signup", email: freshEmail("ghost") });
    expect(unknown.error).toBeNull();
  });

  it("changes the email with two confirmations (secure email change), then signs in with the new address", async () => {
    const user = await createConfirmedUser("mover");
    const newEmail = freshEmail("moved");
    const supabase = client();
    await supabase.auth.signInWithPassword({ email: user.email, password: PASSWORD });
    const taken = await createConfirmedUser("taken");
    expect((await supabase.auth.updateUser({ email: taken.email })).error).toMatchObject({ code: "email_exists", status: 422 });

    const { data, error } = await supabase.auth.updateUser({ email: newEmail }, { emailRedirectTo: `${baseUrl}/profile` });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email: user.email, new_email: newEmail, email_change_sent_at: expect.any(String) });
    const [toNew] = await mailsTo(newEmail);
    const [toCurrent] = await mailsTo(user.email);
    expect(toNew).toMatchObject({ kind: "email_change", subject: MAIL_TEMPLATES.email_change.subject });
    expect(toCurrent).toMatchObject({ kind: "email_change" });
    expect(tokenHashOf(toNew)).not.toBe(tokenHashOf(toCurrent));
    expect(toNew.text_body).toContain(`${user.email} 改为 ${newEmail}`);

    const first = await client().auth.verifyOtp({ type: "email_change", token_hash: tokenHashOf(toCurrent) });
    expect(first.error).toBeNull();
    expect(first.data.session).toBeNull();
    // GoTrue answers {msg, code} here, which supabase-js reports as neither a user nor a session.
    expect(first.data.user).toBeNull();
    const firstRaw = await raw("/verify", {
      method: "POST",
      body: JSON.stringify({ type: "email_change", token_hash: tokenHashOf(toCurrent) }),
    });
    expect(firstRaw).toMatchObject({ status: 403, body: { code: "otp_expired" } });
    expect(await userRow(user.id)).toMatchObject({ email: user.email, email_change: newEmail, email_change_confirm_status: 1 });

    const second = await client().auth.verifyOtp({ type: "email_change", token_hash: tokenHashOf(toNew) });
    expect(second.error).toBeNull();
    expect(second.data.user).toMatchObject({ email: newEmail });
    expect(second.data.user!.new_email).toBeUndefined();
    expect(second.data.user!.identities![0].identity_data).toMatchObject({ email: newEmail, email_verified: true });
    expect(await userRow(user.id)).toMatchObject({
      email: newEmail,
      email_change: "",
      email_change_token_new: "",
      email_change_token_current: "",
    });
    expect((await client().auth.signInWithPassword({ email: newEmail, password: PASSWORD })).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email: user.email, password: PASSWORD })).error).toMatchObject({
      code: "invalid_credentials",
    });
  });

  it("resends a pending email change and limits it to once a minute", async () => {
    const user = await createConfirmedUser("pending");
    const newEmail = freshEmail("pending-new");
    const supabase = client();
    await supabase.auth.signInWithPassword({ email: user.email, password: PASSWORD });
    expect((await supabase.auth.updateUser({ email: newEmail })).error).toBeNull();
    expect((await supabase.auth.updateUser({ email: freshEmail("again") })).error).toMatchObject({ code: "over_email_send_rate_limit" });
    expect((await client().auth.resend({ type: "email_change", email: user.email })).error).toMatchObject({
      code: "over_email_send_rate_limit",
    });
    expect((await client({ url: eagerUrl }).auth.resend({ type: "email_change", email: user.email })).error).toBeNull();
    expect(await mailsTo(newEmail)).toHaveLength(2);
    expect(await mailsTo(user.email)).toHaveLength(2);
  });

  it("generates signup, invite, magiclink and recovery links with GoTrue's response shape", async () => {
    const auth = admin();
    const signupEmail = freshEmail("gl-signup");
    const signup = await auth.generateLink({
      type: "signup",
      email: signupEmail,
      password: PASSWORD,
      options: { redirectTo: `${baseUrl}/x` },
    });
    expect(signup.error).toBeNull();
    expect(signup.data.properties).toEqual({
      action_link: expect.stringContaining(`${baseUrl}/auth/v1/verify?token=`),
      email_otp: expect.stringMatching(/^\d{6}$/),
      hashed_token: expect.stringMatching(/^[0-9a-f]{56}$/),
      redirect_to: `${baseUrl}/x`,
      verification_type: "signup",
    });
    expect(signup.data.user).toMatchObject({ email: signupEmail, confirmation_sent_at: expect.any(String) });
    const action = new URL(signup.data.properties!.action_link);
    expect(Object.fromEntries(action.searchParams)).toEqual({
      token: signup.data.properties!.hashed_token,
      type: "signup",
      redirect_to: `${baseUrl}/x`,
    });
    const byCode = await client().auth.verifyOtp({ type: "signup", email: signupEmail, token: signup.data.properties!.email_otp });
    expect(byCode.error).toBeNull();
    expect((await client().auth.signInWithPassword({ email: signupEmail, password: PASSWORD })).error).toBeNull();
    expect(await mailsTo(signupEmail)).toHaveLength(0);

    const inviteEmail = freshEmail("gl-invite");
    const invite = await auth.generateLink({ type: "invite", email: inviteEmail });
    expect(invite.data.properties!.verification_type).toBe("invite");
    expect(invite.data.user).toMatchObject({ invited_at: expect.any(String) });
    expect((await client().auth.verifyOtp({ type: "invite", token_hash: invite.data.properties!.hashed_token })).error).toBeNull();
    expect((await auth.generateLink({ type: "invite", email: inviteEmail })).error).toMatchObject({ code: "email_exists", status: 422 });

    const member = await createConfirmedUser("gl-magic");
    const magic = await auth.generateLink({ type: "magiclink", email: member.email });
    expect(magic.data.properties!.verification_type).toBe("magiclink");
    expect(
      (await client().auth.verifyOtp({ type: "magiclink", email: member.email, token: magic.data.properties!.email_otp })).error,
    ).toBeNull();
    const newcomer = freshEmail("gl-newcomer");
    const signedUp = await auth.generateLink({ type: "magiclink", email: newcomer });
    expect(signedUp.data.properties!.verification_type).toBe("signup");
    expect(signedUp.data.user!.email).toBe(newcomer);

    // The action link is this server's GET /verify: a 303 back with the session in the fragment.
    const recovery = await auth.generateLink({ type: "recovery", email: member.email, options: { redirectTo: `${baseUrl}/welcome` } });
    expect(recovery.data.properties!.verification_type).toBe("recovery");
    const response = await fetch(recovery.data.properties!.action_link, { redirect: "manual" });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${baseUrl}/welcome`);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get("type")).toBe("recovery");
    expect(decodeJwt(fragment.get("access_token")!).sub).toBe(member.id);

    expect((await auth.generateLink({ type: "recovery", email: freshEmail("nobody") })).error).toMatchObject({
      code: "user_not_found",
      status: 404,
    });
    const bad = await raw("/admin/generate_link", {
      method: "POST",
      key: keys.serviceRoleKey,
      headers: { authorization: `Bearer ${keys.serviceRoleKey}` },
      body: JSON.stringify({ type: "bogus", email: member.email }),
    });
    expect(bad).toMatchObject({ status: 400, body: { code: "validation_failed" } });
    const anon = await client().auth.admin.generateLink({ type: "recovery", email: member.email });
    expect(anon.error).toMatchObject({ code: "not_admin", status: 403 });
  });

  it("generates email_change_current and email_change_new links; the change needs both", async () => {
    const auth = admin();
    const user = await createConfirmedUser("gl-change");
    const newEmail = freshEmail("gl-changed");
    const current = await auth.generateLink({ type: "email_change_current", email: user.email, newEmail });
    const next = await auth.generateLink({ type: "email_change_new", email: user.email, newEmail });
    expect(current.error).toBeNull();
    expect(next.error).toBeNull();
    expect(current.data.properties!.verification_type).toBe("email_change_current");
    expect(new URL(next.data.properties!.action_link).searchParams.get("type")).toBe("email_change");
    expect(next.data.user).toMatchObject({ new_email: newEmail });

    const first = await raw("/verify", {
      method: "POST",
      body: JSON.stringify({ type: "email_change", email: user.email, token: current.data.properties!.email_otp }),
    });
    expect(first).toMatchObject({
      status: 200,
      body: { msg: "Confirmation link accepted. Please proceed to confirm link sent to the other email", code: "200" },
    });
    const second = await client().auth.verifyOtp({ type: "email_change", email: newEmail, token: next.data.properties!.email_otp });
    expect(second.error).toBeNull();
    expect(second.data.user!.email).toBe(newEmail);

    const other = await createConfirmedUser("gl-other");
    const duplicate = await auth.generateLink({ type: "email_change_new", email: other.email, newEmail });
    expect(duplicate.error).toMatchObject({ code: "email_exists", status: 422 });
  });

  it("answers GoTrue's codes for the features that stay off", async () => {
    const anonymous = await client().auth.signInAnonymously();
    expect(anonymous.error).toBeInstanceOf(AuthApiError);
    expect(anonymous.error).toMatchObject({ code: "anonymous_provider_disabled", status: 422 });
    const empty = await raw("/signup", { method: "POST", body: JSON.stringify({ password: PASSWORD }) });
    expect(empty).toMatchObject({ status: 422, body: { code: "anonymous_provider_disabled", message: "Anonymous sign-ins are disabled" } });
    expect((await client().auth.signUp({ email: freshEmail("signup"), password: PASSWORD })).error).toMatchObject({
      code: "signup_disabled",
      status: 422,
    });

    const sso = await client().auth.signInWithSSO({ domain: "example.test" });
    expect(sso.error).toMatchObject({ code: "saml_provider_disabled", status: 404 });

    const user = await createConfirmedUser("features");
    const supabase = client();
    await supabase.auth.signInWithPassword({ email: user.email, password: PASSWORD });
    const enroll = await supabase.auth.mfa.enroll({ factorType: "totp" });
    expect(enroll.error).toMatchObject({ code: "mfa_totp_enroll_not_enabled", status: 422 });
    const challenge = await supabase.auth.mfa.challenge({ factorId: randomUUID() });
    expect(challenge.error).toMatchObject({ code: "mfa_factor_not_found", status: 404 });
    const link = await supabase.auth.linkIdentity({ provider: "github", options: { skipBrowserRedirect: true } });
    expect(link.error).toMatchObject({ code: "manual_linking_disabled", status: 404 });
    // Without a session, GoTrue's authentication comes first.
    expect(await raw("/factors", { method: "POST", body: JSON.stringify({ factor_type: "totp" }) })).toMatchObject({
      status: 401,
      body: { code: "no_authorization" },
    });

    expect(await raw("/token?grant_type=web3", { method: "POST", body: JSON.stringify({ chain: "solana" }) })).toMatchObject({
      status: 422,
      body: { code: "web3_provider_disabled" },
    });
    expect(
      await raw("/token?grant_type=pkce", {
        method: "POST",
        body: JSON.stringify({ auth_code: randomUUID(), code_verifier: "v".repeat(43) }),
      }),
    ).toMatchObject({
      status: 404,
      body: { code: "flow_state_not_found" },
    });
    expect(await raw("/authorize?provider=github")).toMatchObject({ status: 400, body: { code: "validation_failed" } });
  });
});

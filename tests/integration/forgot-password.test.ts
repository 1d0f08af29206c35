import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalKeys } from "../../app/auth/keys.server";
import { acceptEmailLink } from "../../app/auth/invitation.server";
import { cameFromRecentEmailLink } from "../../app/auth/password-proof.server";
import { requestPasswordReset } from "../../app/auth/password-recovery.server";
import { getSignedIn } from "../../app/auth/session.server";
import { action as welcomeAction } from "../../app/routes/welcome";
import { authClient, createAuthServers, freshEmail, mailsTo as mailsToOf } from "../support/auth-server";
import { testDbTarget } from "../support/database";
import { setupTestDatabase } from "../support/db-suite";
import { routeContext } from "../support/route-session";

const JWT_SECRET = "tongke-forgot-password-test-secret-0123456789";

const database = setupTestDatabase();
let keys: { anonKey: string; serviceRoleKey: string };
let authUrl: string;
const authServers = createAuthServers(() => ({ handle: database.handle, jwtSecret: JWT_SECRET, ...keys }));

beforeAll(async () => {
  keys = await createLocalKeys(JWT_SECRET);
  authUrl = await authServers.serve();
});
afterAll(() => authServers.close());

let ipCounter = 0;
/** The app's context as requestPasswordReset reads it: where Auth is and who is asking. */
const context = () =>
  ({
    tongke: {
      supabaseUrl: authUrl,
      supabaseAnonKey: keys.anonKey,
      env: { NODE_ENV: "test", PUBLIC_URL: "http://portal.test" },
      clientIp: `198.51.100.${++ipCounter}`,
    },
  }) as unknown as AppLoadContext;

const post = (email: string) => new Request("http://portal.test/forgot-password", { method: "POST", body: new URLSearchParams({ email }) });

async function ask(email: string) {
  const answer = (await requestPasswordReset(post(email), context())) as unknown as {
    data: { sent: boolean; result: { error?: Record<string, string[]> } };
    init: ResponseInit | null;
  };
  return { sent: answer.data.sent, status: answer.init?.status ?? 200, errors: answer.data.result.error };
}

const mailsTo = (email: string) => mailsToOf(database.handle, email);

describe(`forgot password (${testDbTarget})`, () => {
  it("mails a recovery link whose token gives a session that /welcome accepts without the old password", async () => {
    const email = freshEmail("forgot");
    const admin = authClient(authUrl, keys.serviceRoleKey).auth.admin;
    const { error } = await admin.createUser({ email, password: "a long forgotten passphrase 同课", email_confirm: true });
    expect(error).toBeNull();

    expect(await ask(email.toUpperCase())).toEqual({ sent: true, status: 200, errors: undefined });
    const [mail, ...more] = await mailsTo(email);
    expect(more).toHaveLength(0);
    expect(mail.kind).toBe("recovery");
    const link = new URL(mail.link!);
    expect(link.pathname).toBe("/auth/confirm");
    expect(link.searchParams.get("type")).toBe("recovery");

    // Asking again within the minute looks the same and sends nothing more.
    expect(await ask(email)).toEqual({ sent: true, status: 200, errors: undefined });
    expect(await mailsTo(email)).toHaveLength(1);

    // The link, opened: /auth/confirm signs the person in and asks for a new password on /welcome.
    const confirm = new URL(`http://portal.test${link.pathname}${link.search}`);
    const routeContextFor = routeContext({ handle: database.handle, auth: { url: authUrl, jwtSecret: JWT_SECRET, ...keys } });
    const opened = await acceptEmailLink(new Request(confirm), routeContextFor).catch((thrown: unknown) => thrown);
    expect(opened).toBeInstanceOf(Response);
    const landing = opened as Response;
    expect(landing.status).toBe(302);
    expect(landing.headers.get("location")).toBe("/welcome?next=%2F");
    const session = landing.headers.getSetCookie().find((c) => /^sb-[^=]+-auth-token/.test(c));
    expect(session).toBeTruthy();
    const cookie = landing.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const signedIn = await getSignedIn(new Request("http://portal.test/welcome", { headers: { cookie } }), routeContextFor);
    expect(signedIn && cameFromRecentEmailLink(signedIn.claims)).toBe(true);

    // /welcome's form, posted as Remix posts it: a weak password is refused with the field's
    // message and changes nothing; a good one is set without the old one, and leads on.
    const welcome = (fields: Record<string, string>) =>
      welcomeAction({
        request: new Request("http://portal.test/welcome", {
          method: "POST",
          headers: { cookie, "content-type": "application/x-www-form-urlencoded", "accept-language": "en" },
          body: new URLSearchParams(fields),
        }),
        params: {},
        context: routeContextFor,
      } as never).catch((thrown: unknown) => thrown);
    const weak = (await welcome({ newPassword: "short", confirmPassword: "short", next: "/" })) as unknown as {
      data: { error?: Record<string, { key: string }[]> };
      init: ResponseInit;
    };
    expect(weak.init.status).toBe(400);
    expect(weak.data.error?.newPassword?.[0].key).toMatch(/^(validation|auth):/);
    const passphrase = "a new passphrase for 同课 2026";
    const set = await welcome({ newPassword: passphrase, confirmPassword: passphrase, next: "/" });
    expect(set).toBeInstanceOf(Response);
    expect((set as Response).status).toBe(302);
    expect((set as Response).headers.get("location")).toBe("/");
    const { error: signInError } = await authClient(authUrl, keys.anonKey).auth.signInWithPassword({ email, password: passphrase });
    expect(signInError).toBeNull();

    // A link used once is spent: opening it again says so, with the way to ask for a new one.
    const again = (await acceptEmailLink(new Request(confirm), routeContextFor)) as unknown as { data: { state: string; type: string } };
    expect(again.data).toEqual({ state: "failed", type: "recovery" });
  });

  it("answers an unknown address exactly as a known one, and sends nothing", async () => {
    const email = freshEmail("nobody");
    expect(await ask(email)).toEqual({ sent: true, status: 200, errors: undefined });
    expect(await mailsTo(email)).toHaveLength(0);
  });

  it("answers a malformed address with a translated field error", async () => {
    const answer = await ask("not an address");
    expect(answer).toMatchObject({ sent: false, status: 400 });
    expect(answer.errors?.email).toEqual([{ key: "validation:email" }]);
  });
});

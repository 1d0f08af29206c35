import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_INACTIVITY_SECONDS } from "~/auth/session-lifetime";
import { localeCookie } from "~/i18n/i18next.server";
import { startAppServer } from "../support/app-server";
import { setupTestDatabase } from "../support/db-suite";

/**
 * The app server as a browser meets it, with the real Remix build (run `npm run build`
 * first — `npm test` does) over a fresh, seeded test database.
 */
const database = setupTestDatabase({ seed: true });
let app: Awaited<ReturnType<typeof startAppServer>>;
let base: string;

beforeAll(async () => {
  app = await startAppServer(database.handle);
  base = app.base;
});

afterAll(() => app?.stop());

/** The language cookie exactly as the switcher sets it. */
const lng = async (locale: string) => (await localeCookie.serialize(locale)).split(";")[0];

/** A GET as the server sent it: fetch would undo the Content-Encoding. */
function rawGet(pathname: string, acceptEncoding?: string) {
  return new Promise<{ status?: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const headers = acceptEncoding ? { "accept-encoding": acceptEncoding } : {};
    http
      .get(`${base}${pathname}`, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Signs in through the form, as a browser without JavaScript does. */
const signInAs = (email: string) =>
  fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form({ email, password: "tongke-demo", redirectTo: "/" }),
  });

function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

describe("the app server", () => {
  it("answers /healthz once the database is open", async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("tells nothing about its memory and writes no heap snapshot unless TONGKE_MEMORY_PROBE=1", async () => {
    const memory = await fetch(`${base}/healthz?memory=1&gc=1`);
    expect(await memory.json()).toEqual({ status: "ok" });
    const snapshot = await fetch(`${base}/healthz/heap-snapshot`, { method: "POST" });
    expect(snapshot.status).toBe(404);
    expect(await snapshot.text()).not.toContain("heapsnapshot");
    // A POST to a path without a route is the sender's mistake (a 404 page), not an error to log.
    expect(vi.mocked(console.error)).not.toHaveBeenCalled();
  });

  it("sends security headers with a per-request script nonce", async () => {
    const [a, b] = await Promise.all([fetch(`${base}/login`), fetch(`${base}/login`)]);
    const csp = a.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    expect(await a.text()).toContain(`nonce="${nonce}"`);
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(a.headers.get("x-powered-by")).toBeNull();
  });

  it("serves fingerprinted assets for a year, compressed", async () => {
    const html = await (await fetch(`${base}/login`)).text();
    const stylesheet = /href="(\/build\/css-bundle-[^"]+\.css)"/.exec(html)?.[1];
    expect(stylesheet).toBeTruthy();
    const response = await fetch(`${base}${stylesheet}`, { headers: { "accept-encoding": "gzip" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("content-encoding")).toBe("gzip");
  });

  it("sends hashed scripts compressed at build time: brotli, else gzip, else as they are", async () => {
    const html = await (await fetch(`${base}/login`)).text();
    const script = /\/build\/root-[A-Z0-9]+\.js/.exec(html)?.[0];
    expect(script).toBeTruthy();
    const onDisk = fs.readFileSync(path.join("public", script!));
    const [br, gzip, plain, identity] = await Promise.all([
      rawGet(script!, "gzip, deflate, br, zstd"),
      rawGet(script!, "gzip, deflate"),
      rawGet(script!),
      rawGet(script!, "identity"),
    ]);
    for (const response of [br, gzip, plain, identity]) {
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^text\/javascript; charset=utf-8$/i);
      expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(response.headers.vary).toMatch(/accept-encoding/i);
    }
    expect(br.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(br.body).equals(onDisk)).toBe(true);
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gzip.body).equals(onDisk)).toBe(true);
    // Not compressed again on the way out.
    expect(br.body.equals(fs.readFileSync(path.join("public", `${script}.br`)))).toBe(true);
    expect(br.body.length).toBeLessThan(gzip.body.length);
    expect(gzip.body.length).toBeLessThan(onDisk.length);
    for (const response of [plain, identity]) {
      expect(response.headers["content-encoding"]).toBeUndefined();
      expect(response.body.equals(onDisk)).toBe(true);
    }
  });

  it("keeps files without a hash in their name (icon, translations) cached for an hour only", async () => {
    for (const file of ["/favicon.svg", "/locales/zh-CN/common.json"]) {
      const response = await fetch(`${base}${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    }
  });

  it("picks the language from the cookie, then Accept-Language, defaulting to Chinese", async () => {
    const lang = async (headers: Record<string, string>) =>
      /<html lang="([^"]+)"/.exec(await (await fetch(`${base}/login`, { headers })).text())?.[1];
    expect(await lang({})).toBe("zh-CN");
    expect(await lang({ "accept-language": "en-US,en;q=0.9" })).toBe("en");
    expect(await lang({ "accept-language": "bo" })).toBe("bo");
    expect(await lang({ cookie: await lng("bo"), "accept-language": "en" })).toBe("bo");
  });

  it("sends signed-out readers to sign in, and back afterwards", async () => {
    const response = await fetch(`${base}/schools?stage=primary`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fschools%3Fstage%3Dprimary");
  });

  it("signs in through a plain form post and shows the home page with the user's schools", async () => {
    const signIn = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ email: "teacher.hechuan@example.com", password: "tongke-demo", redirectTo: "/" }),
    });
    expect(signIn.status).toBe(302);
    const cookie = cookiesFrom(signIn);
    expect(cookie).toMatch(/sb-127-auth-token(\.0)?=base64-/);
    expect(cookie).toContain(await lng("zh-CN"));
    const home = await (await fetch(`${base}/`, { headers: { cookie } })).text();
    expect(home).toContain("王丽");
    expect(home).toContain("重庆市合川区南屏小学");
  });

  it("keeps the session in an HttpOnly cookie that lives as long as an unused session, not 400 days", async () => {
    const signIn = await signInAs("teacher.hechuan@example.com");
    const session = signIn.headers.getSetCookie().filter((c) => /^sb-[^=]+-auth-token/.test(c));
    expect(session.length).toBeGreaterThan(0);
    for (const cookie of session) {
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toContain(`Max-Age=${SESSION_INACTIVITY_SECONDS}`);
    }
  });

  it("ends every copy of a session on sign-out: pages, the collaboration token and the cookies", async () => {
    const cookie = cookiesFrom(await signInAs("teacher.hechuan@example.com"));
    const copy = cookie;
    expect((await fetch(`${base}/profile`, { headers: { cookie: copy }, redirect: "manual" })).status).toBe(200);
    const token = await fetch(`${base}/api/collab-token`, { headers: { cookie: copy } });
    expect(token.status).toBe(200);

    const signOut = await fetch(`${base}/logout`, { method: "POST", headers: { cookie }, redirect: "manual" });
    expect(signOut.status).toBe(302);
    expect(
      signOut.headers
        .getSetCookie()
        .filter((c) => /^sb-[^=]+-auth-token/.test(c))
        .every((c) => /Max-Age=0/.test(c)),
    ).toBe(true);

    // The copy still holds an access token that has not expired; the server no longer takes it.
    const profile = await fetch(`${base}/profile`, { headers: { cookie: copy }, redirect: "manual" });
    expect(profile.status).toBe(302);
    expect(profile.headers.get("location")).toBe("/login?redirectTo=%2Fprofile");
    expect(profile.headers.getSetCookie().some((c) => /^sb-[^=]+-auth-token[^=]*=;.*Max-Age=0/.test(c))).toBe(true);
    const after = await fetch(`${base}/api/collab-token`, { headers: { cookie: copy } });
    expect(after.status).toBe(401);
    expect(after.headers.get("cache-control")).toBe("no-store");
    expect(await after.json()).toEqual({ error: "请先登录。" });
  });

  it("sets a password on /welcome only with the current one, unless the session came from an email link", async () => {
    const cookie = cookiesFrom(await signInAs("teacher.leiwuqi@example.com"));
    const page = await (await fetch(`${base}/welcome`, { headers: { cookie } })).text();
    expect(page).toContain('name="currentPassword"');
    const refused = await fetch(`${base}/welcome`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: form({ newPassword: "雪山下的 Leiwuqi 课堂 2026", confirmPassword: "雪山下的 Leiwuqi 课堂 2026", next: "/" }),
    });
    expect(refused.status).toBe(400);
    const wrong = await fetch(`${base}/welcome`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: form({
        currentPassword: "not-the-password",
        newPassword: "雪山下的 Leiwuqi 课堂 2026",
        confirmPassword: "雪山下的 Leiwuqi 课堂 2026",
        next: "/",
      }),
    });
    expect(wrong.status).toBe(400);
    // The old password still signs in: nothing was changed.
    expect((await signInAs("teacher.leiwuqi@example.com")).status).toBe(302);
  });

  it("answers a wrong password with a translated error and no session", async () => {
    const response = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: await lng("en") },
      body: form({ email: "teacher.leiwuqi@example.com", password: "wrong-password" }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("The email or password is incorrect.");
    expect(response.headers.getSetCookie().filter((c) => c.startsWith("sb-"))).toEqual([]);
  });

  it("answers bad form input with a translated field error (no JavaScript needed)", async () => {
    const response = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: await lng("bo") },
      body: form({ email: "not-an-email", password: "x" }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("གློག་འཕྲིན་ཁ་བྱང་ཏག་ཏག་ཅིག་འབྲི་རོགས།");
  });

  it("refuses an oversized body before reading it, in the reader's language", async () => {
    const body = "x".repeat(2 * 1024 * 1024);
    const zh = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(zh.status).toBe(413);
    expect(await zh.text()).toContain("提交的内容过大");
    const en = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: await lng("en"), accept: "application/json" },
      body,
    });
    expect(en.status).toBe(413);
    expect(await en.json()).toEqual({ error: "payload_too_large", message: "What you sent is too large (the limit is 1024 KB)." });
  });

  it("refuses an unsupported language without writing anything", async () => {
    const response = await fetch(`${base}/language`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ lng: "fr", redirectTo: "/login" }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie().filter((c) => c.startsWith("lng="))).toEqual([]);
  });

  it("renders a translated not-found page, in the language the profile prefers", async () => {
    const signIn = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: await lng("en") },
      body: form({ email: "teacher.leiwuqi@example.com", password: "tongke-demo" }),
    });
    // The Leiwuqi teacher's profile prefers Tibetan: signing in switches the cookie to it.
    const cookie = cookiesFrom(signIn);
    expect(cookie).toContain(await lng("bo"));
    const response = await fetch(`${base}/schools/00000000-0000-4000-8000-000000000000`, { headers: { cookie } });
    expect(response.status).toBe(404);
    const page = await response.text();
    expect(page).toContain("ཤོག་ངོས་རྙེད་མ་སོང་།");
    // Inside the app shell: the reader keeps the navigation and can sign out.
    expect(page).toContain('class="site-header"');
    expect(page).toContain('action="/logout"');
    const malformed = await fetch(`${base}/schools/not-a-uuid`, { headers: { cookie } });
    expect(malformed.status).toBe(404);
  });
});

describe("the development outbox outside development", () => {
  it("is not served by a production server that was not asked for it", async () => {
    expect((await fetch(`${base}/dev/outbox`)).status).toBe(404);
  });

  it("is served on a loopback-only server that asks for it, but never to a request a proxy forwarded", async () => {
    const outbox = await startAppServer(database.handle, { TONGKE_DEV_OUTBOX: "true", HOST: "127.0.0.1" });
    try {
      expect((await fetch(`${outbox.base}/dev/outbox`)).status).toBe(200);
      for (const forwarded of [
        ["x-forwarded-for", "203.0.113.9"],
        ["forwarded", "for=203.0.113.9"],
      ] satisfies [string, string][]) {
        const response = await fetch(`${outbox.base}/dev/outbox`, { headers: [forwarded] });
        expect(response.status).toBe(404);
        expect(await response.text()).toBe("");
      }
    } finally {
      await outbox.stop();
    }
  });
});

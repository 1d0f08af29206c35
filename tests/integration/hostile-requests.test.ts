import { randomUUID } from "node:crypto";
import http from "node:http";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer } from "../support/app-server";
import { setupTestDatabase } from "../support/db-suite";

/**
 * Requests a hostile page or client sends to the app server (the real Remix build over a
 * fresh, seeded database): writes from another site, and bodies that try to get past the
 * size limit.
 */
const PUBLIC_URL = "https://tongke.example.cn";
const FOREIGN = "https://evil.example.com";
const database = setupTestDatabase({ seed: true });
let app: Awaited<ReturnType<typeof startAppServer>>;
let base: string;

beforeAll(async () => {
  app = await startAppServer(database.handle, { PUBLIC_URL });
  base = app.base;
});

afterAll(() => app?.stop());

const signInForm = new URLSearchParams({ email: "teacher.hechuan@example.com", password: "tongke-demo", redirectTo: "/" }).toString();

type HeaderSet = Record<string, string>;

const signIn = (headers: HeaderSet = {}) =>
  fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: signInForm,
  });

const cookiesFrom = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

describe("writes from another site", () => {
  let cookie: string;
  beforeAll(async () => {
    const signedIn = await signIn();
    expect(signedIn.status).toBe(302);
    cookie = cookiesFrom(signedIn);
  });

  const session = randomUUID();
  const plan = randomUUID();
  // What a foreign page can send without a CORS preflight: a "simple" request with a text/plain JSON body.
  const writes = [
    { path: `/api/live-sessions/${session}/chat`, body: JSON.stringify({ body: "来自别的网站" }) },
    { path: `/api/live-sessions/${session}/token`, body: "" },
    { path: `/api/live-sessions/${session}/moderate`, body: JSON.stringify({ action: "remove", identity: randomUUID() }) },
    { path: `/lesson-plans/${plan}/images`, body: "--x\r\n\r\n--x--" },
    { path: "/login", body: signInForm },
    { path: "/logout", body: "" },
    { path: "/pairings/new", body: "" },
  ];

  for (const write of writes) {
    it(`refuses POST ${write.path.replace(/[0-9a-f-]{36}/g, ":id")} with a foreign Origin, signed in or not, with 403 and JSON`, async () => {
      for (const headers of [{ cookie }, {}] as HeaderSet[]) {
        const response = await fetch(`${base}${write.path}`, {
          method: "POST",
          redirect: "manual",
          headers: { ...headers, origin: FOREIGN, "content-type": "text/plain", "accept-language": "en" },
          body: write.body,
        });
        expect(response.status).toBe(403);
        // Signed in, the language is the profile's (zh-CN, from the cookie sign-in sets); else Accept-Language.
        expect(await response.json()).toEqual({
          error: "cross_site_request",
          message: headers.cookie
            ? "该请求来自其他网站，已被拒绝。请在本站重新打开页面后再试。"
            : "This request came from another website and was refused. Open the page again here and retry.",
        });
      }
    });
  }

  it("refuses a write whose browser says cross-site without an Origin, and the opaque Origin null", async () => {
    const hostile: HeaderSet[] = [
      { "sec-fetch-site": "cross-site" },
      { origin: "null" },
      { origin: `${FOREIGN}:443` },
      { origin: "http://127.0.0.1.evil.example.com" },
    ];
    for (const headers of hostile) {
      const response = await fetch(`${base}/api/live-sessions/${session}/chat`, {
        method: "POST",
        headers: { ...headers, cookie, "content-type": "text/plain" },
        body: JSON.stringify({ body: "x" }),
      });
      expect({ headers, status: response.status }).toEqual({ headers, status: 403 });
    }
  });

  it("refuses PUT, PATCH and DELETE from another site too", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const response = await fetch(`${base}/lesson-plans/${plan}`, { method, headers: { origin: FOREIGN, cookie } });
      expect({ method, status: response.status }).toEqual({ method, status: 403 });
    }
  });

  it("signs in from the app's own origin, from PUBLIC_URL and without an Origin (curl, no-JavaScript forms of old browsers)", async () => {
    const behindProxy = { origin: PUBLIC_URL, "x-forwarded-host": new URL(PUBLIC_URL).host };
    const ours: HeaderSet[] = [
      { origin: base },
      behindProxy,
      { origin: base, "sec-fetch-site": "same-origin" },
      {},
      { "sec-fetch-site": "same-origin" },
      { "sec-fetch-site": "none" },
    ];
    for (const headers of ours) {
      const response = await signIn(headers);
      expect({ headers, status: response.status, location: response.headers.get("location") }).toEqual({
        headers,
        status: 302,
        location: "/",
      });
      expect(cookiesFrom(response)).toMatch(/-auth-token/);
    }
  });

  it("lets same-origin and Origin-less calls reach the API routes, which answer for themselves", async () => {
    for (const headers of [{ origin: base }, {}] as HeaderSet[]) {
      const chat = await fetch(`${base}/api/live-sessions/${session}/chat`, {
        method: "POST",
        headers: { ...headers, cookie, "content-type": "application/json", "accept-language": "en" },
        body: JSON.stringify({ body: "你好" }),
      });
      // The route's own answer for a session this user may not see, not the cross-site refusal.
      expect(chat.status).toBe(403);
      expect(await chat.json()).toEqual({ error: "您不能在这节课的讨论区发言。" });
    }
  });

  it("keeps LiveKit's webhook (server-to-server, no Origin) reaching its signature check", async () => {
    const response = await fetch(`${base}/api/livekit/webhook`, {
      method: "POST",
      headers: { "content-type": "application/webhook+json", authorization: "forged" },
      body: JSON.stringify({ event: "room_finished", id: "EV_x" }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).not.toMatchObject({ error: "cross_site_request" });
  });

  it("never refuses a read, whatever its Origin", async () => {
    const response = await fetch(`${base}/login`, { headers: { origin: FOREIGN, "sec-fetch-site": "cross-site" } });
    expect(response.status).toBe(200);
  });
});

describe("bodies past the limit", () => {
  it("refuses a 20 MB chunked body to POST /login as soon as it passes 1 MB, without holding it", async () => {
    // Warm the path first, so the measurement sees the body, not code loading.
    expect((await postChunked("/login", 2 * MiB)).status).toBe(413);
    const memory = sampleMemory();
    const answer = await postChunked("/login", 20 * MiB);
    const grewBy = memory.stop();
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: "payload_too_large", message: "What you sent is too large (the limit is 1024 KB)." });
    // The answer came while the client was still sending: the server stopped reading at the limit
    // (what was sent beyond it sits in the sockets' buffers).
    expect(answer.sentBeforeAnswer).toBeLessThan(10 * MiB);
    expect(grewBy).toBeLessThan(6 * MiB);
  });

  it("passes a chunked body under the limit on whole to the page's action", async () => {
    const response = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: Readable.toWeb(Readable.from([Buffer.from(signInForm.slice(0, 10)), Buffer.from(signInForm.slice(10))])) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    expect({ status: response.status, location: response.headers.get("location") }).toEqual({ status: 302, location: "/" });
  });
});

const MiB = 1024 * 1024;

/** A chunked POST (no Content-Length) of `size` bytes, written only as fast as the server reads. */
function postChunked(pathname: string, size: number): Promise<{ status: number; body: string; sentBeforeAnswer: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(pathname, base), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", "accept-language": "en" },
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    let answered = false;
    request.on("response", (response) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => (body += text));
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body, sentBeforeAnswer });
      });
    });
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const write = () => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", write);
      }
      if (!answered) request.end();
    };
    write();
  });
}

/** How far the heap and buffers (where a body would be held) rise above where they are now. */
function sampleMemory() {
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const start = used();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, used())), 2);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, used()) - start;
    },
  };
}

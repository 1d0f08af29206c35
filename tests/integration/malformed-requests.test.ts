import { randomUUID } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer } from "../support/app-server";
import { setupTestDatabase } from "../support/db-suite";
import { createLiveSessionWorld, slot } from "../support/live-session-world";
import { PASSWORD, sessionCookieFor } from "../support/route-session";

/**
 * Every route of the app — each page and API route of the Remix build, and the embedded Auth
 * and Storage APIs beside them — walked with the bodies a broken or hostile client sends:
 * none, JSON where a form is expected and the reverse, malformed JSON, multipart without a
 * boundary or with a broken one, bad percent-encoding, methods a route does not take, bodies
 * past the limit. Each answer is a 4xx with a message (translated on the app's routes, GoTrue's
 * and Storage's own on theirs), never a 500 and never a hang.
 */
const database = setupTestDatabase();
let app: Awaited<ReturnType<typeof startAppServer>>;
let teacherCookie: string;
let ids: Record<string, string>;
/** The signed-in teacher's access token, for Storage. */
let teacherToken: string;

beforeAll(async () => {
  app = await startAppServer(database.handle);
  // Real rows the signed-in teacher may act on, so the walk reaches the actions and not only "not found".
  const world = await createLiveSessionWorld(database.handle);
  const sessionId = await world.scheduleOne(slot(3, "09:00", "09:45"));
  teacherCookie = await sessionCookieFor(database.handle, { url: app.base, anonKey: app.anonKey }, world.users.mainA);
  const grant = await fetch(`${app.base}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: app.anonKey, "content-type": "application/json" },
    body: JSON.stringify({ email: world.users.mainA.email, password: PASSWORD }),
  });
  teacherToken = ((await grant.json()) as { access_token: string }).access_token;
  ids = {
    schoolId: world.schoolA.id,
    pairingId: world.pairingId,
    planId: world.planId,
    sessionId,
    versionId: randomUUID(),
    token: "not-a-calendar-token",
    format: "csv",
    name: "missing.png",
  };
}, 60_000);

afterAll(() => app?.stop());

/** Each route's URL, its parameters filled from the seed (the parent routes' paths joined). */
function routeUrls(): string[] {
  const routes = app.routes;
  const fullPath = (id: string): string => {
    const route = routes[id];
    if (!route) return "";
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return [parent, route.path ?? ""].filter(Boolean).join("/");
  };
  const urls = new Set<string>();
  for (const id of Object.keys(routes)) {
    if (id === "root") continue;
    const filled = `/${fullPath(id)}`
      .replace(/\/+/g, "/")
      .replace(/\[\.ics\]/, ".ics")
      .replace(/:(\w+)/g, (_, name: string) => {
        if (!ids[name]) throw new Error(`No value for the route parameter ${name}: add one to ids`);
        return ids[name];
      });
    urls.add(filled);
  }
  return [...urls].sort();
}

interface BadRequest {
  name: string;
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const BAD_REQUESTS: BadRequest[] = [
  { name: "no body", method: "POST" },
  {
    name: "JSON where a form is expected",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"intent":"delete","title":1}',
  },
  { name: "malformed JSON", method: "POST", headers: { "content-type": "application/json" }, body: '{"intent": "del' },
  { name: "multipart without a boundary", method: "POST", headers: { "content-type": "multipart/form-data" }, body: "intent=x" },
  {
    name: "broken multipart",
    method: "POST",
    headers: { "content-type": "multipart/form-data; boundary=x" },
    body: "--x\r\nContent-Disposition: form-data\r\n\r\nno end",
  },
  {
    name: "bad percent-encoding",
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "intent=%E0%A4%A&title=%%%",
  },
  {
    name: "an intent nobody knows",
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "intent=drop-table&_action=x",
  },
  { name: "text/plain", method: "POST", headers: { "content-type": "text/plain" }, body: "hello" },
  {
    name: "binary garbage",
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: Buffer.from([0, 255, 1, 254, 0xc3, 0x28]),
  },
  { name: "PUT", method: "PUT", headers: { "content-type": "application/json" }, body: "{}" },
  { name: "PATCH", method: "PATCH", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1" },
  { name: "DELETE", method: "DELETE" },
];

/** A request over plain http (fetch refuses some of these bodies and methods). */
function send(url: string, request: BadRequest & { chunked?: boolean }, extraHeaders: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const outgoing = http.request(url, {
      method: request.method,
      headers: { "accept-language": "zh-CN", ...request.headers, ...extraHeaders },
      timeout: 20_000,
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error(`${request.method} ${url} (${request.name}): no answer in 20 s`)));
    outgoing.on("error", reject);
    outgoing.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => (body += text));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, type: String(response.headers["content-type"] ?? ""), body }));
    });
    if (request.chunked) {
      // No Content-Length: a body past every limit, as fast as the server reads it.
      const chunk = Buffer.alloc(64 * 1024, "a");
      let sent = 0;
      const write = () => {
        while (sent < 6 * 1024 * 1024) {
          sent += chunk.length;
          if (!outgoing.write(chunk)) return void outgoing.once("drain", write);
        }
        outgoing.end();
      };
      outgoing.on("response", () => (sent = Infinity));
      write();
    } else {
      outgoing.end(request.body);
    }
  });
}

const HAS_CHINESE = /[\u4e00-\u9fff]/;
/** Called by LiveKit's server, not a person: its refusals keep to LiveKit's webhook contract. */
const SERVER_TO_SERVER = new Set(["/api/livekit/webhook"]);

describe("every page and API route of the app", () => {
  it("walks the routes of the build (a route added later is walked too)", () => {
    const urls = routeUrls();
    expect(urls.length).toBeGreaterThan(30);
    expect(urls).toContain(`/lesson-plans/${ids.planId}/edit`);
    expect(urls).toContain("/api/livekit/webhook");
  });

  for (const persona of ["signed in", "signed out"] as const) {
    it(`answers every bad request to every route ${persona} with a 4xx (or a page), never a 500, with a message in the reader's language`, async () => {
      const failures: string[] = [];
      for (const url of routeUrls()) {
        for (const request of BAD_REQUESTS) {
          const answer = await send(`${app.base}${url}`, request, persona === "signed in" ? { cookie: teacherCookie } : {});
          const where = `${request.method} ${url} (${request.name}) → ${answer.status}`;
          if (answer.status >= 500) failures.push(`${where}: ${answer.body.slice(0, 200)}`);
          else if (answer.status >= 400 && !SERVER_TO_SERVER.has(url) && !HAS_CHINESE.test(answer.body)) {
            // A refusal tells the reader what happened, in their language.
            failures.push(`${where}: no Chinese message: ${answer.body.slice(0, 200)}`);
          }
        }
      }
      expect(failures).toEqual([]);
    }, 240_000);
  }

  it("answers a write to a page that takes none with a translated 405 page, and an unknown path with a translated 404", async () => {
    for (const url of ["/schools", "/pairings", `/pairings/${ids.pairingId}/plans`]) {
      const post = await send(`${app.base}${url}`, {
        name: "POST",
        method: "POST",
        headers: { accept: "text/html", cookie: teacherCookie },
      });
      expect({ url, status: post.status }).toEqual({ url, status: 405 });
      expect(post.body).toContain("该页面不接受这种提交方式");
    }
    const api = await send(`${app.base}/api/collab-token`, { name: "POST", method: "POST", headers: { cookie: teacherCookie } });
    expect({ status: api.status, allow: api.body }).toEqual({
      status: 405,
      allow: expect.stringContaining('"error":"method_not_allowed"'),
    });
    const missing = await send(`${app.base}/no-such-page`, { name: "POST", method: "POST", headers: { accept: "text/html" } });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("找不到该页面");
  });

  it("refuses a write from another site's page on every route with a translated 403, signed in or not", async () => {
    const failures: string[] = [];
    for (const url of routeUrls()) {
      if (SERVER_TO_SERVER.has(url)) continue;
      for (const cookie of [teacherCookie, ""]) {
        const answer = await send(
          `${app.base}${url}`,
          { name: "foreign", method: "POST", headers: { "content-type": "text/plain", origin: "https://evil.example.com" }, body: "{}" },
          cookie ? { cookie } : {},
        );
        if (answer.status !== 403 || !answer.body.includes("该请求来自其他网站"))
          failures.push(`${url} → ${answer.status}: ${answer.body.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("refuses a chunked body past the limit on every route with a translated 413", async () => {
    const failures: string[] = [];
    for (const url of routeUrls()) {
      const answer = await send(
        `${app.base}${url}`,
        { name: "6 MB chunked", method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, chunked: true },
        { cookie: teacherCookie },
      );
      if (answer.status !== 413 || !HAS_CHINESE.test(answer.body)) failures.push(`${url} → ${answer.status}: ${answer.body.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe("the embedded Auth API", () => {
  const AUTH_WRITES = [
    "/token?grant_type=password",
    "/token?grant_type=refresh_token",
    "/recover",
    "/otp",
    "/resend",
    "/verify",
    "/signup",
    "/invite",
    "/admin/users",
    "/admin/generate_link",
  ];
  const headers = () => ({ apikey: app.serviceRoleKey, authorization: `Bearer ${app.serviceRoleKey}` });

  it("answers malformed JSON with 400 bad_json, a foreign Content-Type with 415 and a body past 64 KB with 413, on every write route", async () => {
    const seen: string[] = [];
    for (const route of AUTH_WRITES) {
      const url = `${app.base}/auth/v1${route}`;
      const malformed = await send(url, {
        name: "malformed JSON",
        method: "POST",
        headers: { "content-type": "application/json", ...headers() },
        body: '{"email":',
      });
      const plain = await send(url, {
        name: "text/plain",
        method: "POST",
        headers: { "content-type": "text/plain", ...headers() },
        body: "email=a",
      });
      const huge = await send(url, {
        name: "chunked",
        method: "POST",
        headers: { "content-type": "application/json", ...headers() },
        chunked: true,
      });
      seen.push(`${route} ${malformed.status} ${plain.status} ${huge.status}`);
      for (const answer of [malformed, plain, huge]) {
        const body = JSON.parse(answer.body) as { code?: number; error_code?: string; msg?: string };
        expect(body.msg ?? "", `${route} → ${answer.status}`).not.toBe("");
      }
      expect(JSON.parse(malformed.body).error_code, route).toBe("bad_json");
    }
    expect(seen).toEqual(AUTH_WRITES.map((route) => `${route} 400 415 413`));
  }, 60_000);

  it("checks the user's token before the body on /logout and /factors, as GoTrue does: 401 for the API key alone, never 500", async () => {
    for (const route of ["/logout", "/factors"]) {
      const answer = await send(`${app.base}/auth/v1${route}`, {
        name: "malformed JSON",
        method: "POST",
        headers: { "content-type": "application/json", apikey: app.anonKey },
        body: '{"x":',
      });
      expect({ route, status: answer.status }).toEqual({ route, status: 401 });
    }
  });

  it("answers a PUT /user with a JSON array or a wrong field type with 400, not 500", async () => {
    for (const body of ["[]", '{"password": 12345678}', '{"data": "text"}', "null"]) {
      const answer = await send(`${app.base}/auth/v1/user`, {
        name: body,
        method: "PUT",
        headers: { "content-type": "application/json", ...headers() },
        body,
      });
      expect([400, 401, 403], body).toContain(answer.status);
    }
  });
});

describe("the embedded Storage API", () => {
  const url = () => `${app.base}/storage/v1/object/lesson-plan-images/${ids.planId}/${randomUUID()}.png`;
  const headers = () => ({ apikey: app.anonKey, authorization: `Bearer ${teacherToken}` });

  it("answers broken uploads with 4xx and Storage's own error body, never 500", async () => {
    const failures: string[] = [];
    for (const request of BAD_REQUESTS.filter((r) => r.method === "POST")) {
      const answer = await send(url(), { ...request, headers: { ...request.headers, ...headers() } });
      if (answer.status >= 500 || !/"error"/.test(answer.body))
        failures.push(`${request.name} → ${answer.status}: ${answer.body.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  });

  it("refuses a chunked upload past the bucket's limit as it arrives, with Storage's EntityTooLarge (statusCode 413 in a 400, as Supabase Storage answers)", async () => {
    const answer = await send(url(), {
      name: "chunked",
      method: "POST",
      headers: { "content-type": "image/png", ...headers() },
      chunked: true,
    });
    expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toMatchObject({
      status: 400,
      body: { statusCode: "413", error: "Payload too large" },
    });
  });
});

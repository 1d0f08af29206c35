import ICAL from "ical.js";
import { TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalKeys } from "../../app/auth/keys.server";
import { roomNameOf } from "../../app/live/livekit.server";
import { createLiveRooms, type LiveRooms } from "../../app/live/rooms.server";
import { loader as feedLoader } from "../../app/routes/calendar.$token";
import { loader as collabTokenLoader } from "../../app/routes/api.collab-token";
import { action as chatAction, loader as chatLoader } from "../../app/routes/api.live-sessions.$sessionId.chat";
import { action as moderateAction } from "../../app/routes/api.live-sessions.$sessionId.moderate";
import { action as tokenAction } from "../../app/routes/api.live-sessions.$sessionId.token";
import { action as webhookAction } from "../../app/routes/api.livekit.webhook";
import { loader as icsLoader } from "../../app/routes/live.$sessionId.calendar[.ics]";
import { action as weekAction } from "../../app/routes/live._index";
import { createAuthServers } from "../support/auth-server";
import { testDbTarget } from "../support/database";
import { setupTestDatabase } from "../support/db-suite";
import { signWebhook, startFakeLiveKit, webhookEvent, type FakeLiveKit } from "../support/fake-livekit";
import { createLiveSessionWorld, slot, type LiveSessionPersona } from "../support/live-session-world";
import { routeContext, sessionCookieFor } from "../support/route-session";

/**
 * The live-session HTTP contracts, called as Remix calls the routes (no build needed), with
 * sessions in @supabase/ssr's cookies against the embedded Auth, and LiveKit replaced at its
 * HTTP boundary by a fake RoomService.
 */
const JWT_SECRET = "tongke-live-routes-test-secret-0123456789abcdef";
const LIVEKIT = { apiKey: "APItest", apiSecret: "live-routes-test-secret-0123456789abcdef" };

const database = setupTestDatabase();
let keys: { anonKey: string; serviceRoleKey: string };
let baseUrl: string;
let fake: FakeLiveKit;
let live: LiveRooms;
const authServers = createAuthServers(() => ({ handle: database.handle, jwtSecret: JWT_SECRET, ...keys }));

beforeAll(async () => {
  keys = await createLocalKeys(JWT_SECRET);
  baseUrl = await authServers.serve();
  fake = await startFakeLiveKit(LIVEKIT);
  live = createLiveRooms({
    database: Promise.resolve({ db: database.handle }),
    config: { url: fake.url.replace("http:", "ws:"), ...LIVEKIT },
  });
  await live.start();
});

afterAll(async () => {
  await live?.close();
  await fake?.close();
  await authServers.close();
});

const context = () => routeContext({ handle: database.handle, auth: { url: baseUrl, jwtSecret: JWT_SECRET, ...keys }, extra: { live } });

type World = Awaited<ReturnType<typeof createLiveSessionWorld>>;
const cookies = new Map<string, string>();
async function cookieOf(w: World, persona: LiveSessionPersona) {
  const user = w.users[persona];
  let cookie = cookies.get(user.id);
  if (!cookie) {
    cookie = await sessionCookieFor(database.handle, { url: baseUrl, anonKey: keys.anonKey }, user);
    cookies.set(user.id, cookie);
  }
  return cookie;
}

async function call(route: (args: never) => unknown, args: { request: Request; params?: Record<string, string> }): Promise<Response> {
  try {
    return (await route({ ...args, params: args.params ?? {}, context: context() } as never)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function requestToken(w: World, persona: LiveSessionPersona | "anonymous", sessionId: string) {
  const headers: Record<string, string> = { "accept-language": "en" };
  if (persona !== "anonymous") headers.cookie = await cookieOf(w, persona);
  const request = new Request(`http://app.test/api/live-sessions/${sessionId}/token`, { method: "POST", headers });
  const response = await call(tokenAction, { request, params: { sessionId } });
  return { status: response.status, body: (await response.json()) as { serverUrl?: string; participantToken?: string; error?: string } };
}

// Tomorrow-ish in China: the world's slots are next year, always in the future.
const when = (day: number) => slot(day, "09:00", "09:45");

describe(`POST /api/live-sessions/:id/token (${testDbTarget})`, () => {
  it("gives each role its grants, for ten minutes at most, and refuses everyone else", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(when(1));
    const verifier = new TokenVerifier(LIVEKIT.apiKey, LIVEKIT.apiSecret);
    const room = roomNameOf(id);

    const expected: Record<string, { role: string; publish: boolean; admin: boolean }> = {
      mainA: { role: "main", publish: true, admin: true },
      receivingB: { role: "receiving", publish: true, admin: false },
      teacherA: { role: "observer", publish: false, admin: false },
      adminB: { role: "observer", publish: false, admin: false },
      coordinatorY: { role: "observer", publish: false, admin: false },
    };
    for (const [persona, want] of Object.entries(expected)) {
      const { status, body } = await requestToken(w, persona as LiveSessionPersona, id);
      expect({ persona, status, serverUrl: body.serverUrl }).toEqual({ persona, status: 200, serverUrl: live.config.url });
      const claims = await verifier.verify(body.participantToken!);
      const user = w.users[persona as LiveSessionPersona];
      expect(claims.sub).toBe(user.id);
      expect(claims.name).toBe(persona);
      expect(JSON.parse(claims.metadata!)).toMatchObject({ role: want.role });
      expect(claims.video).toMatchObject({ room, roomJoin: true, canSubscribe: true, canPublishData: true, canPublish: want.publish });
      expect(Boolean(claims.video?.roomAdmin)).toBe(want.admin);
      expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(600);
    }
    // The main teacher's metadata names the main classroom and its school.
    const main = await verifier.verify((await requestToken(w, "mainA", id)).body.participantToken!);
    expect(JSON.parse(main.metadata!)).toEqual({ role: "main", schoolId: w.schoolA.id, classroomId: w.classrooms.A1.id });

    expect((await requestToken(w, "teacherC", id)).status).toBe(404);
    expect((await requestToken(w, "coordinatorZ", id)).status).toBe(404);
    const anonymous = await requestToken(w, "anonymous", id);
    expect(anonymous).toEqual({ status: 401, body: { error: "Please sign in first." } });
  });

  it("answers 409 for a cancelled class and 403 while the pairing is paused", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const cancelled = await w.scheduleOne(when(2));
    await w.cancel("mainA", cancelled, "weather");
    expect(await requestToken(w, "mainA", cancelled)).toEqual({
      status: 409,
      body: { error: "This class was cancelled or is over; it can no longer be joined." },
    });
    const open = await w.scheduleOne(when(3));
    await w.movePairing("paused");
    expect((await requestToken(w, "mainA", open)).status).toBe(403);
    // Coordinators may still observe.
    expect((await requestToken(w, "coordinatorX", open)).status).toBe(200);
  });
});

async function deliver(body: string, authorization: string | null) {
  const headers: Record<string, string> = { "content-type": "application/webhook+json" };
  if (authorization !== null) headers.authorization = authorization;
  const request = new Request("http://app.test/api/livekit/webhook", { method: "POST", body, headers });
  const response = await call(webhookAction, { request });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const signed = async (body: string) => deliver(body, await signWebhook(body, LIVEKIT.apiKey, LIVEKIT.apiSecret));

async function attendanceOf(sessionId: string) {
  const rows = await database.handle.query<{
    identity: string;
    role: string | null;
    classroom_id: string | null;
    seconds: number;
    open: boolean;
  }>(
    `select identity, role, classroom_id, extract(epoch from coalesce(left_at, joined_at) - joined_at)::int as seconds,
            left_at is null as open
     from public.live_session_attendance where session_id = $1 order by joined_at, identity`,
    [sessionId],
  );
  return rows.map((r) => ({ ...r, seconds: Number(r.seconds) }));
}
const webhookRows = async () =>
  Number((await database.handle.query<{ n: number }>("select count(*)::int as n from private.livekit_webhook_events"))[0].n);

describe(`POST /api/livekit/webhook (${testDbTarget})`, () => {
  it("applies a class's events once each, even delivered twice: live, attendance with durations, ended", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(when(4));
    const room = { name: roomNameOf(id), sid: "RM_class" };
    const t0 = new Date(Date.now() - 50 * 60_000);
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const events = [
      webhookEvent("room_started", { room, createdAt: at(0), id: "EV_start" }),
      webhookEvent("participant_joined", {
        room,
        createdAt: at(1),
        id: "EV_j1",
        participant: { identity: w.users.mainA.id, sid: "PA_main" },
      }),
      webhookEvent("participant_joined", {
        room,
        createdAt: at(2),
        id: "EV_j2",
        participant: { identity: w.users.receivingB.id, sid: "PA_recv" },
      }),
      webhookEvent("participant_left", {
        room,
        createdAt: at(12),
        id: "EV_l2",
        participant: { identity: w.users.receivingB.id, sid: "PA_recv" },
      }),
      webhookEvent("participant_joined", {
        room,
        createdAt: at(13),
        id: "EV_j3",
        participant: { identity: w.users.receivingB.id, sid: "PA_recv2" },
      }),
      webhookEvent("room_finished", { room, createdAt: at(46), id: "EV_end" }),
    ];
    for (const body of events) expect(await signed(body)).toEqual({ status: 200, body: { applied: true } });
    const before = { attendance: await attendanceOf(id), events: await w.liveEvents(), session: await w.session(id) };
    // LiveKit retries: every delivery again, in another order.
    for (const body of [...events].reverse()) expect(await signed(body)).toEqual({ status: 200, body: { applied: false } });
    expect({ attendance: await attendanceOf(id), events: await w.liveEvents(), session: await w.session(id) }).toEqual(before);

    expect(before.session.status).toBe("ended");
    expect(before.attendance).toEqual([
      { identity: w.users.mainA.id, role: "main", classroom_id: w.classrooms.A1.id, seconds: 45 * 60, open: false },
      { identity: w.users.receivingB.id, role: "receiving", classroom_id: w.classrooms.B1.id, seconds: 10 * 60, open: false },
      { identity: w.users.receivingB.id, role: "receiving", classroom_id: w.classrooms.B1.id, seconds: 33 * 60, open: false },
    ]);
    expect(before.events.map((e) => e.kind)).toEqual(["live_session_scheduled", "live_session_started", "live_session_ended"]);
    expect(before.events[2].data).toMatchObject({ session_id: id, minutes: 46 });
  });

  it("refuses a forged, altered or unsigned delivery with 401 and writes nothing", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(when(5));
    const body = webhookEvent("room_started", { room: { name: roomNameOf(id) } });
    const before = { rows: await webhookRows(), session: await w.session(id) };
    const goodHeader = await signWebhook(body, LIVEKIT.apiKey, LIVEKIT.apiSecret);
    const attempts = [
      ["tampered body", body.replace("room_started", "room_finished"), goodHeader],
      ["wrong secret", body, await signWebhook(body, LIVEKIT.apiKey, "another-secret-that-is-long-enough-0123")],
      ["wrong key", body, await signWebhook(body, "APIother", LIVEKIT.apiSecret)],
      ["missing header", body, null],
      ["garbage header", body, "Bearer nonsense"],
    ] as const;
    for (const [what, payload, header] of attempts) {
      const answer = await deliver(payload, header);
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
    }
    expect({ rows: await webhookRows(), session: await w.session(id) }).toEqual(before);
  });
});

describe(`the JSON API signed out (${testDbTarget})`, () => {
  it("answers every API route with one 401: { error } in the reader's language, never cached", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const routes = [
      ["GET /api/collab-token", collabTokenLoader, "GET", "/api/collab-token"],
      ["GET chat", chatLoader, "GET", `/api/live-sessions/${id}/chat`],
      ["POST chat", chatAction, "POST", `/api/live-sessions/${id}/chat`],
      ["POST moderate", moderateAction, "POST", `/api/live-sessions/${id}/moderate`],
      ["POST token", tokenAction, "POST", `/api/live-sessions/${id}/token`],
    ] as const;
    for (const [language, message] of [
      ["en", "Please sign in first."],
      ["bo", "སྔོན་ལ་ནང་འཛུལ་གནང་རོགས།"],
      ["zh-CN", "请先登录。"],
    ] as const) {
      for (const [what, route, method, path] of routes) {
        const request = new Request(`http://app.test${path}`, {
          method,
          headers: { "accept-language": language, "content-type": "application/json" },
          ...(method === "POST" ? { body: JSON.stringify({ body: "你好" }) } : {}),
        });
        const response = await call(route, { request, params: { sessionId: id } });
        expect({
          what,
          language,
          status: response.status,
          cache: response.headers.get("cache-control"),
          body: await response.json(),
        }).toEqual({
          what,
          language,
          status: 401,
          cache: "no-store",
          body: { error: message },
        });
      }
    }
  });
});

describe(`moderation and eviction through LiveKit's room service (${testDbTarget})`, () => {
  it("only the main teacher can mute or remove, and the room service is called for the right room", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(when(6));
    const room = roomNameOf(id);
    fake.participants.set(room, new Set([w.users.receivingB.id, w.users.teacherA.id]));
    const moderate = async (persona: LiveSessionPersona, payload: unknown) => {
      const request = new Request(`http://app.test/api/live-sessions/${id}/moderate`, {
        method: "POST",
        body: JSON.stringify(payload),
        headers: { cookie: await cookieOf(w, persona), "content-type": "application/json", "accept-language": "en" },
      });
      return (await call(moderateAction, { request, params: { sessionId: id } })).status;
    };
    const calls = fake.calls.length;
    expect(await moderate("receivingB", { action: "remove", identity: w.users.teacherA.id })).toBe(403);
    expect(await moderate("teacherA", { action: "mute", identity: w.users.receivingB.id, trackSid: "TR_mic" })).toBe(403);
    expect(fake.calls.length).toBe(calls);
    expect(await moderate("mainA", { action: "bogus" })).toBe(400);
    expect(await moderate("mainA", { action: "mute", identity: w.users.receivingB.id, trackSid: "TR_mic" })).toBe(204);
    expect(await moderate("mainA", { action: "remove", identity: w.users.teacherA.id })).toBe(204);
    expect(fake.calls.slice(calls).map((c) => [c.method, c.body])).toEqual([
      ["MutePublishedTrack", expect.objectContaining({ room, identity: w.users.receivingB.id, trackSid: "TR_mic", muted: true })],
      ["RemoveParticipant", expect.objectContaining({ room, identity: w.users.teacherA.id })],
    ]);
    expect(fake.participants.get(room)?.has(w.users.teacherA.id)).toBe(false);
  });

  it("someone who leaves the pairing's school is taken out of its live room", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(when(7));
    const room = roomNameOf(id);
    fake.participants.set(room, new Set([w.users.mainA.id, w.users.teacherB.id]));
    for (const [persona, sid] of [
      ["mainA", "PA_m"],
      ["teacherB", "PA_t"],
    ] as const) {
      await signed(webhookEvent("participant_joined", { room: { name: room }, participant: { identity: w.users[persona].id, sid } }));
    }
    await database.handle.query("delete from public.school_memberships where user_id = $1 and school_id = $2", [
      w.users.teacherB.id,
      w.schoolB.id,
    ]);
    const deadline = Date.now() + 5000;
    while (fake.participants.get(room)?.has(w.users.teacherB.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect([...(fake.participants.get(room) ?? [])]).toEqual([w.users.mainA.id]);
    expect(fake.calls.filter((c) => c.method === "RemoveParticipant" && (c.body as { room: string }).room === room)).toHaveLength(1);
  });
});

describe(`pausing a pairing empties its live rooms of everyone but its coordinators (${testDbTarget})`, () => {
  it("removes the teachers, keeps the coordinator observing", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(when(11));
    const room = roomNameOf(id);
    const present = ["mainA", "receivingB", "teacherA", "coordinatorX"] as const;
    fake.participants.set(room, new Set(present.map((p) => w.users[p].id)));
    for (const persona of present) {
      await signed(
        webhookEvent("participant_joined", { room: { name: room }, participant: { identity: w.users[persona].id, sid: `PA_${persona}` } }),
      );
    }
    expect((await w.session(id)).status).toBe("live");
    await w.movePairing("paused");
    const deadline = Date.now() + 5000;
    while ((fake.participants.get(room)?.size ?? 0) > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect([...(fake.participants.get(room) ?? [])]).toEqual([w.users.coordinatorX.id]);
  });
});

describe(`chat, calendar file and feed (${testDbTarget})`, () => {
  it("keeps the class chat on the server for everyone who may join, and nobody else", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const id = await w.scheduleOne(when(8));
    const post = async (persona: LiveSessionPersona, body: unknown) => {
      const request = new Request(`http://app.test/api/live-sessions/${id}/chat`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { cookie: await cookieOf(w, persona), "content-type": "application/json", "accept-language": "en" },
      });
      const response = await call(chatAction, { request, params: { sessionId: id } });
      return {
        status: response.status,
        body: (await response.json()) as { message?: { body: string; authorName: string }; error?: string },
      };
    };
    expect(await post("receivingB", { body: "  ཁྱེད་རང་ཚོ་ཐོས་སམ？ 听得见吗？ " })).toMatchObject({
      status: 201,
      body: { message: { body: "ཁྱེད་རང་ཚོ་ཐོས་སམ？ 听得见吗？", authorName: "receivingB" } },
    });
    expect(await post("coordinatorX", { body: "观课中" })).toMatchObject({ status: 201 });
    expect(await post("teacherC", { body: "hello" })).toEqual({ status: 403, body: { error: "You cannot write in this class's chat." } });
    expect((await post("mainA", { body: "   " })).status).toBe(400);
    expect((await post("mainA", { body: "字".repeat(1001) })).status).toBe(400);

    const list = async (persona: LiveSessionPersona) => {
      const request = new Request(`http://app.test/api/live-sessions/${id}/chat`, { headers: { cookie: await cookieOf(w, persona) } });
      return ((await (await call(chatLoader, { request, params: { sessionId: id } })).json()) as { messages: { body: string }[] }).messages;
    };
    expect((await list("mainA")).map((m) => m.body)).toEqual(["ཁྱེད་རང་ཚོ་ཐོས་སམ？ 听得见吗？", "观课中"]);
    expect(await list("teacherC")).toEqual([]);
  });

  it("serves one class as .ics and a personal feed at a secret URL, both parsed back with ical.js", async () => {
    const w = await createLiveSessionWorld(database.handle);
    const first = await w.scheduleOne(when(9));
    const second = await w.scheduleOne(when(10), { title: "数学：认识图形, 第二课; 两校" });
    await w.cancel("mainA", second, "exams");

    const ics = await call(icsLoader, {
      request: new Request(`http://app.test/live/${first}/calendar.ics`, {
        headers: { cookie: await cookieOf(w, "receivingB"), "accept-language": "zh-CN" },
      }),
      params: { sessionId: first },
    });
    expect(ics.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const single = new ICAL.Component(ICAL.parse(await ics.text())).getAllSubcomponents("vevent").map((e) => new ICAL.Event(e));
    expect(single.map((e) => [e.uid, e.summary, e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()])).toEqual([
      [`${first}@tongke`, "《秋天的雨》同步课", when(9)[0].toISOString(), when(9)[1].toISOString()],
    ]);
    const stranger = await call(icsLoader, {
      request: new Request(`http://app.test/live/${first}/calendar.ics`, { headers: { cookie: await cookieOf(w, "teacherC") } }),
      params: { sessionId: first },
    });
    expect(stranger.status).toBe(404);

    const form = (intent: string) => {
      const body = new FormData();
      body.set("intent", intent);
      return body;
    };
    const rotate = async () => {
      const request = new Request("http://app.test/live", {
        method: "POST",
        body: form("rotate-feed"),
        headers: { cookie: await cookieOf(w, "receivingB"), "accept-language": "en" },
      });
      // The action answers with single fetch's data(), not a Response.
      const result = (await weekAction({ request, params: {}, context: context() } as never)) as unknown as { data: { feedUrl: string } };
      return result.data.feedUrl;
    };
    const fetchFeed = async (url: string) => {
      const { pathname, search } = new URL(url);
      const token = pathname.split("/").pop()!;
      return call(feedLoader, { request: new Request(`http://app.test${pathname}${search}`), params: { token } });
    };
    const url = await rotate();
    expect(url).toMatch(/^http:\/\/app\.test\/calendar\/[A-Za-z0-9_-]{43}\.ics\?lang=en$/);
    const feed = await fetchFeed(url);
    expect(feed.status).toBe(200);
    const events = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents("vevent");
    const byUid = new Map(events.map((e) => [e.getFirstPropertyValue("uid"), e]));
    expect(byUid.get(`${first}@tongke`)?.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(byUid.get(`${second}@tongke`)?.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(String(byUid.get(`${second}@tongke`)?.getFirstPropertyValue("summary"))).toContain("数学：认识图形, 第二课; 两校");
    expect(String(byUid.get(`${second}@tongke`)?.getFirstPropertyValue("description"))).toContain("exams");

    // A new link stops the old one; a made-up one opens nothing.
    const newer = await rotate();
    expect((await fetchFeed(url)).status).toBe(404);
    expect((await fetchFeed(newer)).status).toBe(200);
    expect((await fetchFeed("http://app.test/calendar/not-a-token.ics")).status).toBe(404);
  });
});

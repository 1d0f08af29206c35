import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomNameOf } from "../../app/live/livekit.server";
import { createLiveRooms, type LiveRooms } from "../../app/live/rooms.server";
import { action as webhookAction } from "../../app/routes/api.livekit.webhook";
import { testDbTarget } from "../support/database";
import { setupTestDatabase } from "../support/db-suite";
import { signWebhook, startFakeLiveKit, webhookEvent, type FakeLiveKit } from "../support/fake-livekit";
import { createLiveSessionWorld, slot, type LiveSessionPersona } from "../support/live-session-world";

/**
 * LiveKit delivers webhooks in any order and retries them. One class's events, delivered
 * through the route in many shuffled orders (with retries mixed in, and all at once), must
 * leave the same session and the same attendance every time: no connection open after the
 * room finished, no minutes that keep growing.
 */
const LIVEKIT = { apiKey: "APIorder", apiSecret: "webhook-order-test-secret-0123456789abcdef" };
const SHUFFLES = 30;
const CONCURRENT = 5;

const database = setupTestDatabase();
let fake: FakeLiveKit;
let live: LiveRooms;

beforeAll(async () => {
  fake = await startFakeLiveKit(LIVEKIT);
  live = createLiveRooms({
    database: Promise.resolve({ db: database.handle }),
    config: { url: fake.url.replace("http:", "ws:"), ...LIVEKIT },
  });
});

afterAll(async () => {
  await live?.close();
  await fake?.close();
});

async function deliver(body: string) {
  const request = new Request("http://app.test/api/livekit/webhook", {
    method: "POST",
    body,
    headers: { "content-type": "application/webhook+json", authorization: await signWebhook(body, LIVEKIT.apiKey, LIVEKIT.apiSecret) },
  });
  const response = await webhookAction({ request, params: {}, context: { tongke: { live } } } as never);
  expect(response.status).toBe(200);
  return (await response.json()) as { applied: boolean };
}

/** A seeded generator (mulberry32), so a failing order can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

type World = Awaited<ReturnType<typeof createLiveSessionWorld>>;

/**
 * One 45-minute class as LiveKit reports it: the main teacher all along, the receiving
 * classroom dropping out once and reconnecting, an observer whose participant_left is sent
 * when the room closes (stamped after room_finished), a coordinator nobody saw leave.
 */
function classEvents(w: World, sessionId: string, t0: Date) {
  const room = { name: roomNameOf(sessionId), sid: `RM_${sessionId.slice(0, 8)}` };
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const id = (name: string) => `EV_${sessionId.slice(0, 8)}_${name}`;
  const person = (persona: LiveSessionPersona, sid: string, joined: number) => ({
    identity: w.users[persona].id,
    sid,
    joinedAt: at(joined),
  });
  return [
    webhookEvent("room_started", { room, createdAt: at(0), id: id("start") }),
    webhookEvent("participant_joined", { room, createdAt: at(1), id: id("j_main"), participant: person("mainA", "PA_main", 1) }),
    webhookEvent("participant_joined", { room, createdAt: at(2), id: id("j_recv1"), participant: person("receivingB", "PA_recv1", 2) }),
    webhookEvent("participant_left", { room, createdAt: at(12), id: id("l_recv1"), participant: person("receivingB", "PA_recv1", 2) }),
    webhookEvent("participant_joined", { room, createdAt: at(13), id: id("j_recv2"), participant: person("receivingB", "PA_recv2", 13) }),
    webhookEvent("participant_joined", { room, createdAt: at(20), id: id("j_obs"), participant: person("teacherA", "PA_obs", 20) }),
    webhookEvent("participant_joined", { room, createdAt: at(30), id: id("j_coord"), participant: person("coordinatorX", "PA_coord", 30) }),
    webhookEvent("participant_left", { room, createdAt: at(45), id: id("l_main"), participant: person("mainA", "PA_main", 1) }),
    webhookEvent("room_finished", { room, createdAt: at(45), id: id("end") }),
    webhookEvent("participant_left", { room, createdAt: at(50), id: id("l_obs"), participant: person("teacherA", "PA_obs", 20) }),
  ];
}

const seconds = (value: Date | string | null, t0: Date) =>
  value === null ? null : Math.round((new Date(value).getTime() - t0.getTime()) / 1000);

/** What the class left behind, as offsets from t0 in seconds; minutes as the session page counts them (open rows up to now). */
async function outcome(w: World, sessionId: string, t0: Date) {
  const rows = await database.handle.query<{
    participant_sid: string;
    identity: string;
    role: string | null;
    classroom_id: string | null;
    joined_at: Date | string;
    left_at: Date | string | null;
    seconds_to_now: number;
  }>(
    `select participant_sid, identity, role, classroom_id, joined_at, left_at,
            extract(epoch from coalesce(left_at, now()) - joined_at)::int as seconds_to_now
     from public.live_session_attendance where session_id = $1 order by participant_sid`,
    [sessionId],
  );
  const [session] = await database.handle.query<{ status: string; started_at: Date | string | null; ended_at: Date | string | null }>(
    "select status, started_at, ended_at from public.live_sessions where id = $1",
    [sessionId],
  );
  const events = (await w.liveEvents()).filter(
    (e) => /^live_session_(started|ended)$/.test(e.kind) && (e.data as { session_id?: string } | null)?.session_id === sessionId,
  );
  return {
    session: { status: session.status, started: seconds(session.started_at, t0), ended: seconds(session.ended_at, t0) },
    attendance: rows.map((r) => ({
      sid: r.participant_sid,
      identity: r.identity,
      role: r.role,
      classroom: r.classroom_id,
      joined: seconds(r.joined_at, t0),
      left: seconds(r.left_at, t0),
      minutes: Math.round(Number(r.seconds_to_now) / 60),
    })),
    eventKinds: events.map((e) => e.kind).sort(),
  };
}

describe(`LiveKit webhooks in any order (${testDbTarget})`, () => {
  it(`leave the same attendance and session after ${SHUFFLES} shuffled deliveries with retries, and after deliveries all at once`, async () => {
    const w = await createLiveSessionWorld(database.handle);
    // schedule_live_session takes at most 30 occurrences at once.
    const days = Array.from({ length: SHUFFLES + 3 + CONCURRENT }, (_, i) => slot(20 + i, "09:00", "09:45"));
    const ids = [...(await w.schedule("mainA", days.slice(0, 20))), ...(await w.schedule("mainA", days.slice(20)))];
    const t0 = new Date(Date.now() - 60 * 60_000);
    t0.setMilliseconds(0);
    t0.setSeconds(0);
    const next = random(20261207);
    const orders: { name: string; order: (events: string[]) => string[] }[] = [
      { name: "as it happened", order: (events) => events },
      { name: "reversed", order: (events) => [...events].reverse() },
      // The case: room_finished first, every join after it.
      { name: "room_finished first", order: (events) => [events[8], ...events.filter((_, i) => i !== 8)] },
      ...Array.from({ length: SHUFFLES }, (_, i) => ({ name: `shuffle ${i + 1}`, order: (events: string[]) => shuffled(events, next) })),
    ];

    const outcomes: { name: string; result: Awaited<ReturnType<typeof outcome>> }[] = [];
    for (const [i, { name, order }] of orders.entries()) {
      const events = classEvents(w, ids[i], t0);
      const delivered = order(events);
      for (const body of delivered) expect(await deliver(body)).toEqual({ applied: true });
      // LiveKit's retries: a few deliveries again, in yet another order, change nothing.
      for (const body of shuffled(delivered, next).slice(0, 4)) expect(await deliver(body)).toEqual({ applied: false });
      outcomes.push({ name, result: await outcome(w, ids[i], t0) });
    }
    for (let i = 0; i < CONCURRENT; i++) {
      const id = ids[orders.length + i];
      const answers = await Promise.all(shuffled(classEvents(w, id, t0), next).map(deliver));
      expect(answers.every((a) => a.applied)).toBe(true);
      outcomes.push({ name: `all at once ${i + 1}`, result: await outcome(w, id, t0) });
    }

    const expected = {
      session: { status: "ended", started: 0, ended: 45 * 60 },
      attendance: [
        {
          sid: "PA_coord",
          identity: w.users.coordinatorX.id,
          role: "observer",
          classroom: null,
          joined: 30 * 60,
          left: 45 * 60,
          minutes: 15,
        },
        { sid: "PA_main", identity: w.users.mainA.id, role: "main", classroom: w.classrooms.A1.id, joined: 60, left: 45 * 60, minutes: 44 },
        { sid: "PA_obs", identity: w.users.teacherA.id, role: "observer", classroom: null, joined: 20 * 60, left: 45 * 60, minutes: 25 },
        {
          sid: "PA_recv1",
          identity: w.users.receivingB.id,
          role: "receiving",
          classroom: w.classrooms.B1.id,
          joined: 2 * 60,
          left: 12 * 60,
          minutes: 10,
        },
        {
          sid: "PA_recv2",
          identity: w.users.receivingB.id,
          role: "receiving",
          classroom: w.classrooms.B1.id,
          joined: 13 * 60,
          left: 45 * 60,
          minutes: 32,
        },
      ],
      eventKinds: ["live_session_ended", "live_session_started"],
    };
    for (const { name, result } of outcomes) expect({ name, ...result }).toEqual({ name, ...expected });
  });
});

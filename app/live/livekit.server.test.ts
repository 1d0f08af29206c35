import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AccessToken, ServerError, TokenVerifier, WebhookEvent } from "livekit-server-sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LiveRole } from "~/db/enums";
import { type FakeLiveKit, signWebhook, startFakeLiveKit, webhookEvent } from "../../tests/support/fake-livekit";
import {
  createRoomService,
  grantsFor,
  httpUrlOf,
  type LiveKitConfig,
  mintParticipantToken,
  roomNameOf,
  sessionIdOfRoom,
  WebhookRejectedError,
  verifyWebhook,
} from "./livekit.server";

const config: LiveKitConfig = { url: "wss://video.example.test", apiKey: "APItongke", apiSecret: "a-secret-that-is-long-enough-for-hs256" };
const SOURCES = ["camera", "microphone", "screen_share", "screen_share_audio"];

const expectedGrants = (role: LiveRole, room: string) => {
  const base = { roomJoin: true, room, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: true };
  return {
    main: { ...base, canPublish: true, canPublishSources: SOURCES, roomAdmin: true },
    receiving: { ...base, canPublish: true, canPublishSources: SOURCES },
    observer: { ...base, canPublish: false },
  }[role];
};

function tokenRequest(role: LiveRole, overrides: { ttlSeconds?: number } = {}) {
  const sessionId = randomUUID();
  const identity = randomUUID();
  const metadata = { schoolId: randomUUID(), classroomId: role === "observer" ? null : randomUUID(), role };
  return { sessionId, identity, name: "卓玛 Drolma", metadata, role, ...overrides };
}

describe("room names", () => {
  it("round-trips a session id through its room name", () => {
    const id = randomUUID();
    expect(roomNameOf(id)).toBe(`live-session.${id}`);
    expect(sessionIdOfRoom(roomNameOf(id))).toBe(id);
    expect(roomNameOf(id.toUpperCase())).toBe(`live-session.${id}`);
  });

  it("recognises no room it did not name", () => {
    const id = randomUUID();
    for (const name of [
      "",
      "live-session.",
      "live-session.not-a-uuid",
      `other.${id}`,
      `live-session.${id}x`,
      `live-session.${id}/x`,
      `xlive-session.${id}`,
      `live-session.${id.toUpperCase()}`,
      id,
    ]) {
      expect(sessionIdOfRoom(name), name).toBeNull();
    }
    expect(() => roomNameOf("junk")).toThrow(TypeError);
  });
});

describe("mintParticipantToken", () => {
  const verifier = new TokenVerifier(config.apiKey, config.apiSecret);

  it.each<LiveRole>(["main", "receiving", "observer"])("gives a %s participant exactly its grants, identity and metadata", async (role) => {
    const request = tokenRequest(role);
    const claims = await verifier.verify(await mintParticipantToken(config, request));
    const room = `live-session.${request.sessionId}`;
    expect(claims.sub).toBe(request.identity);
    expect(claims.name).toBe(request.name);
    expect(JSON.parse(claims.metadata ?? "")).toEqual(request.metadata);
    expect(claims.video).toEqual(expectedGrants(role, room));
    expect(claims.exp! - claims.nbf!).toBe(600);
    expect(claims.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);
    expect(grantsFor(role, room).roomAdmin === true).toBe(role === "main");
  });

  it("never mints a token that lives longer than ten minutes", async () => {
    const long = await verifier.verify(await mintParticipantToken(config, tokenRequest("main", { ttlSeconds: 3600 })));
    expect(long.exp! - long.nbf!).toBe(600);
    const short = await verifier.verify(await mintParticipantToken(config, tokenRequest("observer", { ttlSeconds: 60 })));
    expect(short.exp! - short.nbf!).toBe(60);
    await expect(mintParticipantToken(config, tokenRequest("main", { ttlSeconds: 0 }))).rejects.toThrow(RangeError);
  });

  it("produces tokens that a different secret or key does not accept", async () => {
    const token = await mintParticipantToken(config, tokenRequest("receiving"));
    await expect(new TokenVerifier(config.apiKey, "another-secret-that-is-long-enough").verify(token)).rejects.toThrow();
    await expect(new TokenVerifier("APIother", config.apiSecret).verify(token)).rejects.toThrow();
  });

  it("refuses metadata that claims another role than the grants", async () => {
    const request = tokenRequest("observer");
    await expect(mintParticipantToken(config, { ...request, metadata: { ...request.metadata, role: "main" } })).rejects.toThrow(TypeError);
  });
});

describe("verifyWebhook", () => {
  const room = roomNameOf(randomUUID());
  const metadata = JSON.stringify({ schoolId: randomUUID(), classroomId: null, role: "observer" });
  const body = webhookEvent("participant_joined", {
    id: "EV_test1",
    createdAt: new Date("2025-03-01T08:00:00Z"),
    room: { sid: "RM_test", name: room },
    participant: { sid: "PA_test", identity: "teacher-1", name: "Tashi", metadata },
  });

  async function rejection(promise: Promise<unknown>) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookRejectedError);
    return (error as WebhookRejectedError).reason;
  }

  it("accepts a body LiveKit signed and yields its event", async () => {
    const event = await verifyWebhook(config, body, await signWebhook(body, config.apiKey, config.apiSecret));
    expect(event.event).toBe("participant_joined");
    expect(event.id).toBe("EV_test1");
    expect(event.createdAt).toBe(BigInt(Date.parse("2025-03-01T08:00:00Z") / 1000));
    expect(event.room).toMatchObject({ sid: "RM_test", name: room });
    expect(event.participant).toMatchObject({ sid: "PA_test", identity: "teacher-1", name: "Tashi", metadata });
  });

  it.each(["room_started", "room_finished"] as const)("parses a %s event", async (kind) => {
    const roomBody = webhookEvent(kind, { room: { name: room } });
    const event = await verifyWebhook(config, roomBody, await signWebhook(roomBody, config.apiKey, config.apiSecret));
    expect(event.event).toBe(kind);
    expect(event.room?.name).toBe(room);
    expect(event.participant).toBeUndefined();
  });

  it("is fed bodies in LiveKit's exact protobuf JSON form", () => {
    const participant = { identity: "teacher-1", metadata };
    for (const sample of [
      webhookEvent("room_started", { room: { name: room } }),
      webhookEvent("participant_joined", { room: { name: room }, participant }),
      webhookEvent("participant_left", { room: { name: room }, participant }),
      webhookEvent("room_finished", { room: { name: room } }),
    ]) {
      expect(() => WebhookEvent.fromJsonString(sample)).not.toThrow();
    }
  });

  it("rejects a body altered after signing", async () => {
    const header = await signWebhook(body, config.apiKey, config.apiSecret);
    expect(await rejection(verifyWebhook(config, body.replace("teacher-1", "teacher-2"), header))).toBe("body_mismatch");
    expect(await rejection(verifyWebhook(config, `${body} `, header))).toBe("body_mismatch");
  });

  it("rejects a webhook signed with another secret or another key", async () => {
    expect(await rejection(verifyWebhook(config, body, await signWebhook(body, config.apiKey, "not-our-secret-but-long-enough")))).toBe(
      "bad_signature",
    );
    expect(await rejection(verifyWebhook(config, body, await signWebhook(body, "APIother", config.apiSecret)))).toBe("wrong_key");
  });

  it("rejects a missing, garbage or expired authorization", async () => {
    for (const header of [undefined, null, "", "  "]) {
      expect(await rejection(verifyWebhook(config, body, header))).toBe("missing_authorization");
    }
    expect(await rejection(verifyWebhook(config, body, "not-a-jwt"))).toBe("malformed_token");
    expect(await rejection(verifyWebhook(config, body, "e30.e30.e30"))).toBe("malformed_token");

    const expired = new AccessToken(config.apiKey, config.apiSecret, { ttl: "-2m" });
    expired.sha256 = createHash("sha256").update(body).digest("base64");
    expect(await rejection(verifyWebhook(config, body, await expired.toJwt()))).toBe("expired");
  });
});

describe("createRoomService", () => {
  let fake: FakeLiveKit;
  beforeEach(async () => {
    fake = await startFakeLiveKit({ apiKey: config.apiKey, apiSecret: config.apiSecret });
  });
  afterEach(() => fake.close());

  const serviceFor = (fakeUrl: string, secret = config.apiSecret) =>
    createRoomService({ ...config, url: fakeUrl.replace(/^http/, "ws"), apiSecret: secret });

  it("removes a participant with a token that administers only that room", async () => {
    const room = roomNameOf(randomUUID());
    fake.participants.set(room, new Set(["teacher-1", "observer-1"]));

    await expect(serviceFor(fake.url).removeParticipant(room, "observer-1")).resolves.toBe(true);

    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call.method).toBe("RemoveParticipant");
    expect(call.body).toEqual({ room, identity: "observer-1" });
    expect(call.grants?.video).toEqual({ roomAdmin: true, room });
    expect(fake.participants.get(room)).toEqual(new Set(["teacher-1"]));
  });

  it("answers false when the participant or the room is already gone", async () => {
    const room = roomNameOf(randomUUID());
    fake.participants.set(room, new Set(["teacher-1"]));
    const service = serviceFor(fake.url);
    await expect(service.removeParticipant(room, "observer-1")).resolves.toBe(false);
    await expect(service.removeParticipant(roomNameOf(randomUUID()), "teacher-1")).resolves.toBe(false);
    expect(fake.calls.map((c) => c.method)).toEqual(["RemoveParticipant", "RemoveParticipant"]);
  });

  it("throws rather than answering false when LiveKit refuses our credentials", async () => {
    const room = roomNameOf(randomUUID());
    fake.participants.set(room, new Set(["observer-1"]));
    const error = await serviceFor(fake.url, "not-the-secret-the-server-has")
      .removeParticipant(room, "observer-1")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 401, code: "unauthenticated" });
    expect(fake.calls[0].grants).toBeNull();
    expect(fake.participants.get(room)?.has("observer-1")).toBe(true);
  });

  it("mutes a published track with an admin token for the room", async () => {
    const room = roomNameOf(randomUUID());
    fake.participants.set(room, new Set(["receiving-1"]));
    const service = serviceFor(fake.url);

    await expect(service.mutePublishedTrack(room, "receiving-1", "TR_mic", true)).resolves.toBeUndefined();
    expect(fake.calls[0]).toMatchObject({
      method: "MutePublishedTrack",
      body: { room, identity: "receiving-1", trackSid: "TR_mic", muted: true },
    });
    expect(fake.calls[0].grants?.video).toEqual({ roomAdmin: true, room });

    await expect(service.mutePublishedTrack(room, "gone", "TR_mic", true)).rejects.toMatchObject({ code: "not_found" });
  });

  it("lists a room's participants, and none for a room that does not exist", async () => {
    const room = roomNameOf(randomUUID());
    fake.participants.set(room, new Set(["teacher-1", "observer-1"]));
    const service = serviceFor(fake.url);
    expect((await service.listParticipants(room)).map((p) => p.identity).sort()).toEqual(["observer-1", "teacher-1"]);
    expect(await service.listParticipants(roomNameOf(randomUUID()))).toEqual([]);
    expect(fake.calls[0].grants?.video).toEqual({ roomAdmin: true, room });
  });

  it("gives up on a video server that never answers", async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const url = `ws://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const service = createRoomService({ ...config, url }, { timeoutMs: 300 });
      const started = Date.now();
      await expect(service.removeParticipant(roomNameOf(randomUUID()), "teacher-1")).rejects.toMatchObject({ name: "TimeoutError" });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe("httpUrlOf", () => {
  it("turns the browsers' WebSocket URL into the server API's HTTP URL", () => {
    expect(httpUrlOf("ws://localhost:7880")).toBe("http://localhost:7880");
    expect(httpUrlOf("wss://video.example.test")).toBe("https://video.example.test");
    expect(httpUrlOf("WSS://video.example.test/")).toBe("https://video.example.test/");
    expect(httpUrlOf("https://video.example.test")).toBe("https://video.example.test");
    expect(() => httpUrlOf("video.example.test")).toThrow(TypeError);
  });
});

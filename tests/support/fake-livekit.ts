import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AccessToken, type ClaimGrants, TokenVerifier } from "livekit-server-sdk";

/** One Twirp call as the fake received it; `grants` is null when the bearer token did not verify. */
export interface FakeLiveKitCall {
  method: string;
  body: unknown;
  grants: ClaimGrants | null;
}

export interface FakeLiveKit {
  /** http://127.0.0.1:<port>, what RoomServiceClient is given. */
  url: string;
  calls: FakeLiveKitCall[];
  /** Who is connected, by room name; tests arrange it, RemoveParticipant changes it. */
  participants: Map<string, Set<string>>;
  close(): Promise<void>;
}

const SERVICE_PREFIX = "/twirp/livekit.RoomService/";

type Answer = { status: number; json: unknown };

const twirpError = (status: number, code: string, msg: string): Answer => ({ status, json: { code, msg } });

/**
 * LiveKit's RoomService at its HTTP boundary: Twirp JSON over POST, authorised by a bearer
 * JWT that must carry `roomAdmin` for the room named in the request, errors in Twirp's shape.
 */
export async function startFakeLiveKit({ apiKey, apiSecret }: { apiKey: string; apiSecret: string }): Promise<FakeLiveKit> {
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const calls: FakeLiveKitCall[] = [];
  const participants = new Map<string, Set<string>>();

  function answer(method: string, body: Record<string, unknown>, grants: ClaimGrants | null): Answer {
    const room = typeof body.room === "string" ? body.room : "";
    if (!grants?.video?.roomAdmin || grants.video.room !== room) {
      return twirpError(401, "unauthenticated", "permissions denied");
    }
    const inRoom = participants.get(room);
    const identity = typeof body.identity === "string" ? body.identity : "";
    switch (method) {
      case "ListParticipants":
        if (!inRoom) return twirpError(404, "not_found", "requested room does not exist");
        return { status: 200, json: { participants: [...inRoom].map((id) => ({ sid: `PA_${id}`, identity: id, state: "ACTIVE" })) } };
      case "RemoveParticipant":
        if (!inRoom?.has(identity)) return twirpError(404, "not_found", "participant not found");
        inRoom.delete(identity);
        return { status: 200, json: {} };
      case "MutePublishedTrack":
        if (!inRoom?.has(identity)) return twirpError(404, "not_found", "participant not found");
        return { status: 200, json: { track: { sid: body.trackSid, muted: body.muted === true } } };
      default:
        return twirpError(404, "bad_route", `no handler for ${method}`);
    }
  }

  async function grantsOf(header: string | undefined): Promise<ClaimGrants | null> {
    const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : null;
    if (!token) return null;
    try {
      return await verifier.verify(token);
    } catch {
      return null;
    }
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = ({ status, json }: Answer) => {
      // Exactly "application/json": the SDK reads Twirp error codes only under this content type.
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
    };
    if (req.method !== "POST" || !req.url?.startsWith(SERVICE_PREFIX)) {
      return send(twirpError(404, "bad_route", `no handler for ${req.method} ${req.url}`));
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    } catch {
      return send(twirpError(400, "malformed", "the request body is not JSON"));
    }
    const method = req.url.slice(SERVICE_PREFIX.length);
    const grants = await grantsOf(req.headers.authorization);
    calls.push({ method, body, grants });
    send(answer(method, body, grants));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    participants,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The Authorization header LiveKit sends with a webhook: a JWT issued by the API key, valid
 * for five minutes, whose `sha256` claim is the standard base64 of the body's SHA-256.
 */
export async function signWebhook(body: string, apiKey: string, apiSecret: string): Promise<string> {
  const token = new AccessToken(apiKey, apiSecret, { ttl: "5m" });
  token.sha256 = createHash("sha256").update(body, "utf8").digest("base64");
  return token.toJwt();
}

export type WebhookKind = "room_started" | "room_finished" | "participant_joined" | "participant_left";

interface WebhookParticipant {
  identity: string;
  sid?: string;
  name?: string;
  /** The JSON string the participant's token carried. */
  metadata?: string;
  /** When the participant connected, as every later event about them repeats it; default: the event's time. */
  joinedAt?: Date;
}

export type WebhookFields<K extends WebhookKind> = {
  room: { name: string; sid?: string };
  id?: string;
  createdAt?: Date;
} & (K extends "participant_joined" | "participant_left" ? { participant: WebhookParticipant } : { participant?: never });

const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

/** A webhook body as LiveKit posts it: protobuf JSON, int64 fields as decimal strings. */
export function webhookEvent<K extends WebhookKind>(kind: K, fields: WebhookFields<K>): string {
  const createdAt = fields.createdAt ?? new Date();
  const room = {
    sid: fields.room.sid ?? `RM_${randomUUID().slice(0, 12)}`,
    name: fields.room.name,
    emptyTimeout: 300,
    departureTimeout: 20,
    creationTime: seconds(createdAt),
    numParticipants: kind === "participant_joined" ? 1 : 0,
  };
  const { participant } = fields;
  return JSON.stringify({
    event: kind,
    room,
    ...(participant && {
      participant: {
        sid: participant.sid ?? `PA_${randomUUID().slice(0, 12)}`,
        identity: participant.identity,
        name: participant.name ?? participant.identity,
        metadata: participant.metadata ?? "",
        state: kind === "participant_left" ? "DISCONNECTED" : "ACTIVE",
        joinedAt: seconds(participant.joinedAt ?? createdAt),
        ...(kind === "participant_left" && { disconnectReason: "CLIENT_INITIATED" }),
      },
    }),
    id: fields.id ?? `EV_${randomUUID().slice(0, 12)}`,
    createdAt: seconds(createdAt),
  });
}

import {
  AccessToken,
  type ParticipantInfo,
  RoomServiceClient,
  ServerError,
  TrackSource,
  type VideoGrant,
  type WebhookEvent,
  WebhookReceiver,
} from "livekit-server-sdk";
import type { LiveRole } from "~/db/enums";

export interface LiveKitConfig {
  /** The ws:// or wss:// URL browsers connect to; the server API lives on the same host. */
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** What every participant carries as LiveKit metadata, so the room UI can label them. */
export interface ParticipantMetadata {
  /** Null for coordinators and platform admins, who belong to no school of the pairing. */
  schoolId: string | null;
  classroomId: string | null;
  role: LiveRole;
}

const ROOM_PREFIX = "live-session.";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The longest a join token lives: enough to connect, short enough that a revoked seat cannot come back later. */
export const MAX_TOKEN_TTL_SECONDS = 600;

export function roomNameOf(sessionId: string): string {
  const id = sessionId.toLowerCase();
  if (!UUID.test(id)) throw new TypeError("A live session id must be a uuid");
  return `${ROOM_PREFIX}${id}`;
}

/** The session a LiveKit room belongs to, or null for any room this app did not name. */
export function sessionIdOfRoom(name: string): string | null {
  if (!name.startsWith(ROOM_PREFIX)) return null;
  const id = name.slice(ROOM_PREFIX.length);
  return UUID.test(id) ? id : null;
}

const PUBLISHED_SOURCES = [TrackSource.CAMERA, TrackSource.MICROPHONE, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO];

export function grantsFor(role: LiveRole, roomName: string): VideoGrant {
  const base = { roomJoin: true, room: roomName, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: true };
  switch (role) {
    case "main":
      return { ...base, canPublish: true, canPublishSources: [...PUBLISHED_SOURCES], roomAdmin: true };
    case "receiving":
      return { ...base, canPublish: true, canPublishSources: [...PUBLISHED_SOURCES] };
    case "observer":
      // Observers publish nothing; updating their own attributes is how they raise a hand.
      return { ...base, canPublish: false };
  }
}

export interface ParticipantTokenRequest {
  sessionId: string;
  identity: string;
  name: string;
  metadata: ParticipantMetadata;
  role: LiveRole;
  ttlSeconds?: number;
}

export async function mintParticipantToken(config: LiveKitConfig, request: ParticipantTokenRequest): Promise<string> {
  const { sessionId, identity, name, metadata, role, ttlSeconds = MAX_TOKEN_TTL_SECONDS } = request;
  if (metadata.role !== role) throw new TypeError("The metadata role must match the granted role");
  if (!identity) throw new TypeError("A participant token needs an identity");
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new RangeError("ttlSeconds must be a positive number");
  const token = new AccessToken(config.apiKey, config.apiSecret, {
    identity,
    name,
    metadata: JSON.stringify(metadata),
    ttl: Math.min(Math.ceil(ttlSeconds), MAX_TOKEN_TTL_SECONDS),
  });
  token.addGrant(grantsFor(role, roomNameOf(sessionId)));
  return token.toJwt();
}

export const WEBHOOK_REJECTIONS = {
  missingAuthorization: "missing_authorization",
  malformedToken: "malformed_token",
  badSignature: "bad_signature",
  wrongKey: "wrong_key",
  expired: "expired",
  invalidClaims: "invalid_claims",
  bodyMismatch: "body_mismatch",
  malformedBody: "malformed_body",
} as const;

export type WebhookRejection = (typeof WEBHOOK_REJECTIONS)[keyof typeof WEBHOOK_REJECTIONS];

/** The webhook did not come from our LiveKit server (or was altered on the way): answer 401 and ignore it. */
export class WebhookRejectedError extends Error {
  readonly reason: WebhookRejection;
  constructor(reason: WebhookRejection, options?: { cause?: unknown }) {
    super(`LiveKit webhook rejected: ${reason}`, options);
    this.name = "WebhookRejectedError";
    this.reason = reason;
  }
}

// The SDK bundles its own jose, so its errors are recognised by their stable `code`, not by class.
function rejectionOf(error: unknown): WebhookRejection | null {
  if (error instanceof SyntaxError) return WEBHOOK_REJECTIONS.malformedBody;
  if (!(error instanceof Error)) return null;
  const { code, claim } = error as Error & { code?: unknown; claim?: unknown };
  if (typeof code === "string" && code.startsWith("ERR_J")) {
    if (code === "ERR_JWT_EXPIRED") return WEBHOOK_REJECTIONS.expired;
    if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return WEBHOOK_REJECTIONS.badSignature;
    if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED") {
      return claim === "iss" ? WEBHOOK_REJECTIONS.wrongKey : WEBHOOK_REJECTIONS.invalidClaims;
    }
    return WEBHOOK_REJECTIONS.malformedToken;
  }
  if (error.message.includes("sha256")) return WEBHOOK_REJECTIONS.bodyMismatch;
  if (error.message.startsWith("cannot decode")) return WEBHOOK_REJECTIONS.malformedBody;
  return null;
}

/** Checks the JWT LiveKit signs each webhook with and the sha256 of the raw (unparsed) body it carries. */
export async function verifyWebhook(
  config: LiveKitConfig,
  rawBody: string,
  authorization: string | undefined | null,
): Promise<WebhookEvent> {
  if (!authorization?.trim()) throw new WebhookRejectedError(WEBHOOK_REJECTIONS.missingAuthorization);
  try {
    return await new WebhookReceiver(config.apiKey, config.apiSecret).receive(rawBody, authorization.trim());
  } catch (error) {
    const reason = rejectionOf(error);
    if (reason) throw new WebhookRejectedError(reason, { cause: error });
    throw error;
  }
}

export function httpUrlOf(url: string): string {
  const match = /^(wss?|https?):\/\//i.exec(url);
  if (!match) throw new TypeError(`Not a LiveKit URL: ${url}`);
  const scheme = match[1].toLowerCase();
  const http = scheme === "ws" ? "http" : scheme === "wss" ? "https" : scheme;
  return `${http}://${url.slice(match[0].length)}`;
}

export interface RoomService {
  /** False when the participant (or the whole room) is already gone. */
  removeParticipant(room: string, identity: string): Promise<boolean>;
  mutePublishedTrack(room: string, identity: string, trackSid: string, muted: boolean): Promise<void>;
  /** Empty when the room does not exist (nobody has joined yet, or it has closed). */
  listParticipants(room: string): Promise<ParticipantInfo[]>;
}

export const ROOM_SERVICE_TIMEOUT_MS = 5_000;

const isNotFound = (error: unknown) => error instanceof ServerError && error.code === "not_found";

export function createRoomService(config: LiveKitConfig, { timeoutMs = ROOM_SERVICE_TIMEOUT_MS } = {}): RoomService {
  // Failover would retry other LiveKit Cloud regions and multiply the wait past our timeout.
  const client = new RoomServiceClient(httpUrlOf(config.url), config.apiKey, config.apiSecret, {
    requestTimeout: timeoutMs / 1000,
    failover: false,
  });
  return {
    async removeParticipant(room, identity) {
      try {
        await client.removeParticipant(room, identity);
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    async mutePublishedTrack(room, identity, trackSid, muted) {
      await client.mutePublishedTrack(room, identity, trackSid, muted);
    },
    async listParticipants(room) {
      try {
        return await client.listParticipants(room);
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
    },
  };
}

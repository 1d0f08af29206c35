import type { Database } from "./db/client.server";
import type { JwtClaims } from "./db/types";
import type { Collab } from "./collab/collab.server";
import type { Env } from "./config.server";
import type { LiveRooms } from "./live/rooms.server";
import type { SessionCheck } from "./auth/session-check.server";

/** What server.ts hands every loader and action: the process's singletons. */
export interface TongkeContext {
  env: Env;
  /** Resolves once the database is open; pass it to withUserTransaction. */
  database: Promise<Database>;
  /** Where the server reaches Supabase Auth: Supabase itself, or this process's /auth/v1. */
  supabaseUrl: string;
  supabaseAnonKey: string;
  /** Server-only key for Supabase Auth's admin API (inviting people). */
  supabaseServiceRoleKey: string;
  /** Verifies an access token's signature and expiry; returns its claims or throws. */
  verifyAccessToken: (token: string) => Promise<JwtClaims>;
  /** Whether a verified token's session is still live in Auth (cached for at most 30 s). */
  sessions: SessionCheck;
  cspNonce: string;
  /** The client's address as Express sees it; forwarded to Auth for its rate limits. */
  clientIp: string;
  /** The collaboration server's live documents (versions read and restore them). */
  collab: Pick<Collab, "snapshot" | "restore" | "peek" | "describe">;
  /** LiveKit: its configuration, room service (moderation) and webhook receiver. */
  live: Pick<LiveRooms, "config" | "roomService" | "receiveWebhook">;
  /** The chunks a route loads later with import(), for the page to preload (lazyChunkFinder). */
  lazyChunks: (routeId: string) => Promise<string[]>;
}

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    tongke: TongkeContext;
  }
}

declare module "@remix-run/node" {
  // Types loader data as single fetch serialises it (turbo-stream, not JSON).
  interface Future {
    v3_singleFetch: true;
  }
}

import type { Database, DbHandle } from "~/db/client.server";
import type { JwtClaims } from "~/db/types";
import type { PresenceUser } from "./presence";

export type Access = "edit" | "read";

/** What each authenticated connection carries. */
export interface CollabContext {
  userId: string;
  claims: JwtClaims;
  /** The token the connection authenticated with (Supabase Auth is asked about its session with it). */
  accessToken: string;
  planId: string;
  pairingId: string;
  access: Access;
  /** Who the connection is, as the other editors see it (from the database, not the client). */
  user: PresenceUser;
}

/** The database as the collaboration server's extensions reach it (it may still be opening). */
export interface CollabDatabase {
  handle(): Promise<DbHandle>;
  db(): Promise<Database>;
}

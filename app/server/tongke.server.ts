import path from "node:path";
import { createLocalKeys, loadOrCreateLocalSecret } from "~/auth/keys.server";
import { authServerSessionLookup, createSessionCheck, databaseSessionLookup, type SessionCheck } from "~/auth/session-check.server";
import { createAccessTokenVerifier } from "~/auth/verify.server";
import { createCollab, type Collab } from "~/collab/collab.server";
import { isEmbeddedAuth, type Env } from "~/config.server";
import { openDatabase, type DbHandle } from "~/db/client.server";
import { lockDataDir } from "~/db/data-dir-lock.server";
import type { MigrationReport } from "~/db/migrate.server";
import { migrate } from "~/db/system.server";
import type { JwtClaims } from "~/db/types";
import { createLiveRooms, type LiveRooms } from "~/live/rooms.server";

export interface Tongke {
  env: Env;
  /** Opening PGlite takes seconds on a first start; pages that need no data do not wait. */
  database: Promise<{ db: DbHandle; migration: MigrationReport | null }>;
  /** Present in the embedded default: what the app needs to serve /auth/v1 itself. */
  embeddedAuth: { jwtSecret: string; anonKey: string; serviceRoleKey: string } | null;
  supabaseAnonKey: string;
  /** Server-only: the Auth admin API (invitations). Never sent to a browser. */
  supabaseServiceRoleKey: string;
  verifyAccessToken: (token: string) => Promise<JwtClaims>;
  /** Whether a token's session is still live in Auth: pages, API routes and /collab ask it. */
  sessions: SessionCheck;
  /** Hocuspocus for the lesson plans, served at /collab by server.ts. */
  collab: Collab;
  /** LiveKit: configuration, its room service, webhooks, and evicting people who lost their place. */
  live: LiveRooms;
}

/** The auth keys at once; the database (migrated and seeded where that is ours to do) as it opens. */
export async function startTongke(env: Env, options: { baseUrl: () => string; database?: Tongke["database"] }): Promise<Tongke> {
  // The embedded database lives in this process: a second instance on the same folder stops here.
  if (!options.database && !env.DATABASE_URL) lockDataDir(env.DATA_DIR);
  const database = options.database ?? openAndMigrate(env);
  database.catch(() => {}); // awaited (and reported) by server.ts

  if (isEmbeddedAuth(env)) {
    const jwtSecret = env.SUPABASE_JWT_SECRET ?? (await loadOrCreateLocalSecret(path.resolve(env.DATA_DIR)));
    const keys = await createLocalKeys(jwtSecret);
    const verifyAccessToken = createAccessTokenVerifier({ jwtSecret, supabaseUrl: options.baseUrl() });
    const sessions = createSessionCheck(
      databaseSessionLookup(async () => (await database).db),
      {
        ttlMs: env.TONGKE_SESSION_CHECK_SECONDS * 1000,
      },
    );
    return {
      env,
      database,
      embeddedAuth: { jwtSecret, ...keys },
      supabaseAnonKey: keys.anonKey,
      supabaseServiceRoleKey: keys.serviceRoleKey,
      verifyAccessToken,
      sessions,
      collab: createCollab({ database, verifyAccessToken, sessions, redisUrl: env.REDIS_URL, publicUrl: env.PUBLIC_URL }),
      live: liveRoomsOf(env, database),
    };
  }
  const verifyAccessToken = createAccessTokenVerifier({ jwtSecret: env.SUPABASE_JWT_SECRET, supabaseUrl: env.SUPABASE_URL! });
  const sessions = createSessionCheck(authServerSessionLookup({ supabaseUrl: env.SUPABASE_URL!, anonKey: env.SUPABASE_ANON_KEY! }), {
    ttlMs: env.TONGKE_SESSION_CHECK_SECONDS * 1000,
  });
  return {
    env,
    database,
    embeddedAuth: null,
    supabaseAnonKey: env.SUPABASE_ANON_KEY!,
    supabaseServiceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY!,
    verifyAccessToken,
    sessions,
    collab: createCollab({ database, verifyAccessToken, sessions, redisUrl: env.REDIS_URL, publicUrl: env.PUBLIC_URL }),
    live: liveRoomsOf(env, database),
  };
}

const liveRoomsOf = (env: Env, database: Tongke["database"]) =>
  createLiveRooms({ database, config: { url: env.LIVEKIT_URL, apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET } });

async function openAndMigrate(env: Env) {
  const embedded = !env.DATABASE_URL;
  const db = await openDatabase(
    embedded ? { pgliteDir: path.resolve(env.DATA_DIR, "pglite") } : { databaseUrl: env.DATABASE_URL!, poolSize: env.DATABASE_POOL_SIZE },
  );
  const shouldMigrate = (env.DB_MIGRATE_ON_START ?? (embedded ? "true" : "false")) === "true";
  const migration = shouldMigrate ? await migrate(db, { seed: (env.DB_SEED ?? "true") === "true" }) : null;
  return { db, migration };
}

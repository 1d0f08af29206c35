import path from "node:path";
import { isEmbeddedAuth, type Env } from "~/config.server";
import { openDatabase, type DbHandle } from "~/db/client.server";
import { migrate, type MigrationReport } from "~/db/migrate.server";
import { createLocalKeys, loadOrCreateLocalSecret } from "~/auth/keys.server";
import { createAccessTokenVerifier } from "~/auth/verify.server";
import type { JwtClaims } from "~/db/types";

export interface Tongke {
  env: Env;
  db: DbHandle;
  migration: MigrationReport | null;
  /** Present in the embedded default: what the app needs to serve /auth/v1 itself. */
  embeddedAuth: { jwtSecret: string; anonKey: string; serviceRoleKey: string } | null;
  supabaseAnonKey: string;
  verifyAccessToken: (token: string) => Promise<JwtClaims>;
}

/** Opens the database (migrating and seeding where that is ours to do) and the auth keys. */
export async function startTongke(env: Env, options: { baseUrl: () => string }): Promise<Tongke> {
  const embedded = !env.DATABASE_URL;
  const db = await openDatabase(
    embedded ? { pgliteDir: path.resolve(env.DATA_DIR, "pglite") } : { databaseUrl: env.DATABASE_URL! },
  );
  const shouldMigrate = (env.DB_MIGRATE_ON_START ?? (embedded ? "true" : "false")) === "true";
  const migration = shouldMigrate ? await migrate(db, { seed: (env.DB_SEED ?? "true") === "true" }) : null;

  if (isEmbeddedAuth(env)) {
    const jwtSecret = env.SUPABASE_JWT_SECRET ?? (await loadOrCreateLocalSecret(path.resolve(env.DATA_DIR)));
    const keys = await createLocalKeys(jwtSecret);
    return {
      env,
      db,
      migration,
      embeddedAuth: { jwtSecret, ...keys },
      supabaseAnonKey: keys.anonKey,
      verifyAccessToken: createAccessTokenVerifier({ jwtSecret, supabaseUrl: options.baseUrl() }),
    };
  }
  return {
    env,
    db,
    migration,
    embeddedAuth: null,
    supabaseAnonKey: env.SUPABASE_ANON_KEY!,
    verifyAccessToken: createAccessTokenVerifier({ jwtSecret: env.SUPABASE_JWT_SECRET, supabaseUrl: env.SUPABASE_URL! }),
  };
}

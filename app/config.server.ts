import { z } from "zod";

const LIVEKIT_DEV_URL = "ws://localhost:7880";
/** `livekit-server --dev`'s key pair: public, so anyone holding it can sign join tokens and webhooks. */
export const LIVEKIT_DEV_KEY = "devkey";
export const LIVEKIT_DEV_SECRET = "secret";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** The URL people open; used in links and, in the embedded default, as the Supabase URL. */
  PUBLIC_URL: z.string().url().optional(),
  /** Postgres (Supabase or any PostgreSQL 15+). Unset: embedded PGlite under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Connections the server keeps open to DATABASE_URL. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  DATA_DIR: z.string().default(".data"),
  /** Apply supabase/local + migrations + seed at start. Default: on for PGlite, off for DATABASE_URL. */
  DB_MIGRATE_ON_START: z.enum(["true", "false"]).optional(),
  DB_SEED: z.enum(["true", "false"]).optional(),
  /** Supabase project. Unset: the app serves the Supabase Auth API itself at /auth/v1. */
  SUPABASE_URL: z.string().url().optional(),
  SUPABASE_ANON_KEY: z.string().min(20).optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20).optional(),
  SUPABASE_JWT_SECRET: z.string().min(32).optional(),
  COOKIE_SECRET: z.string().min(16).optional(),
  LIVEKIT_URL: z.string().default(LIVEKIT_DEV_URL),
  /** Unset: livekit-server --dev's devkey/secret, outside production only. */
  LIVEKIT_API_KEY: z.string().default(LIVEKIT_DEV_KEY),
  LIVEKIT_API_SECRET: z.string().default(LIVEKIT_DEV_SECRET),
  /** Join tokens one user may ask for per minute (reconnects over a bad link ask often). */
  LIVEKIT_TOKEN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  REDIS_URL: z.string().url().optional(),
  /**
   * How long the server trusts that a session is still live before asking Auth again (at most
   * 30): a sign-out, anywhere, ends every copy of the session within this many seconds.
   */
  TONGKE_SESSION_CHECK_SECONDS: z.coerce.number().min(0).max(30).default(30),
  /**
   * Serve the embedded mailer's outbox at /dev/outbox outside development (browser tests). In
   * production only on a loopback HOST, and never to a request a proxy forwarded.
   */
  TONGKE_DEV_OUTBOX: z.enum(["true", "false"]).optional(),
  /**
   * Benchmarks only (`npm run bench:soak`): `GET /healthz?memory=1` answers the process's
   * memory and `POST /healthz/heap-snapshot` writes a V8 heap snapshot under DATA_DIR.
   */
  TONGKE_MEMORY_PROBE: z.enum(["1", "0"]).optional(),
  /** The folder the app's own files are read from (appRoot). Unset: the working directory. */
  TONGKE_ROOT: z.string().min(1).optional(),
  /** Set by `npm run dev` (scripts/dev.mjs) when it has started `remix watch` itself. */
  TONGKE_REMIX_WATCH_STARTED: z.enum(["1"]).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

/** A setting the server cannot start with; its message says what to set (server.ts prints only that). */
export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new EnvError(`Invalid environment:\n${problems}`);
  }
  const env = result.data;
  if (env.SUPABASE_URL && !(env.SUPABASE_ANON_KEY && env.SUPABASE_SERVICE_ROLE_KEY)) {
    throw new EnvError("SUPABASE_URL is set: SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY are required too");
  }
  if (env.NODE_ENV === "production" && !env.COOKIE_SECRET) {
    throw new EnvError(
      "COOKIE_SECRET is required in production: it signs the app's own cookies, so a visitor cannot forge them. " +
        "Set it to a random string of at least 16 characters (for example the output of `openssl rand -hex 32`) and keep it across restarts.",
    );
  }
  if (env.NODE_ENV === "production" && env.TONGKE_DEV_OUTBOX === "true" && !isLoopbackHost(env.HOST)) {
    throw new EnvError(
      `TONGKE_DEV_OUTBOX=true shows every mail the embedded Auth sends — invitation, password-recovery and sign-in links ` +
        `included — to whoever opens /dev/outbox, so in production it is allowed only on a server that listens on this ` +
        `machine alone (HOST=127.0.0.1), as the browser tests run it. HOST is ${env.HOST}: unset TONGKE_DEV_OUTBOX.`,
    );
  }
  if (env.NODE_ENV === "production" && usesDevelopmentLiveKit(env)) {
    throw new EnvError(
      "NODE_ENV=production needs your LiveKit server's own credentials: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET " +
        "(and LIVEKIT_URL) to the key pair in your LiveKit server's config (keys:) or LiveKit Cloud project. " +
        `They are unset or livekit-server --dev's public ${LIVEKIT_DEV_KEY}/${LIVEKIT_DEV_SECRET}, which would let anyone sign ` +
        "join tokens and webhooks (end classes, fake attendance).",
    );
  }
  return env;
}

/** A listening address only this machine can reach. */
const isLoopbackHost = (host: string) => ["127.0.0.1", "::1", "localhost"].includes(host.trim().toLowerCase());

const usesDevelopmentLiveKit = (env: Env) =>
  [LIVEKIT_DEV_KEY, ""].includes(env.LIVEKIT_API_KEY.trim()) || [LIVEKIT_DEV_SECRET, ""].includes(env.LIVEKIT_API_SECRET.trim());

export const isEmbeddedAuth = (env: Env) => !env.SUPABASE_URL;

/*
 * The two settings read where no parsed Env reaches: file paths resolved by modules that the
 * server, the scripts and the tests all import, and a cookie made when its module loads. Both
 * are read when called, not when this module loads, so a test can point TONGKE_ROOT elsewhere.
 */

/** The folder supabase/, public/locales, the mail templates, the fonts and node_modules are read from. */
export const appRoot = (source: Record<string, string | undefined> = process.env) => source.TONGKE_ROOT || process.cwd();

/** What the app's own cookies are signed with: COOKIE_SECRET (required in production, see parseEnv). */
export const cookieSecrets = (source: Record<string, string | undefined> = process.env) =>
  source.COOKIE_SECRET ? [source.COOKIE_SECRET] : undefined;

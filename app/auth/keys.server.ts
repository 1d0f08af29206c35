import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { jwtVerify, SignJWT } from "jose";
import type { JwtClaims } from "../db/types";

/** Supabase local development's API keys expire in 2032; ours do too. */
const LOCAL_KEY_EXPIRY = 1983812996;

const encodeSecret = (secret: string) => new TextEncoder().encode(secret);

async function signApiKey(role: "anon" | "service_role", secret: string): Promise<string> {
  // Claim order and header match `supabase start`, so the demo secret yields the demo keys.
  return new SignJWT({ iss: "supabase-demo", role, exp: LOCAL_KEY_EXPIRY })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(encodeSecret(secret));
}

/**
 * The anon and service-role API keys for a JWT secret, shaped like Supabase local
 * development's: HS256, `{iss: "supabase-demo", role, exp}`. Deterministic for a secret.
 */
export async function createLocalKeys(jwtSecret: string): Promise<{ anonKey: string; serviceRoleKey: string }> {
  const [anonKey, serviceRoleKey] = await Promise.all([signApiKey("anon", jwtSecret), signApiKey("service_role", jwtSecret)]);
  return { anonKey, serviceRoleKey };
}

const SECRETS_FILE = "local-secrets.json";

/**
 * The embedded mode's JWT secret: read from `<dataDir>/local-secrets.json`, or created there
 * (64 random hex characters, file mode 0600) on first start.
 */
export async function loadOrCreateLocalSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, SECRETS_FILE);
  await fs.mkdir(dataDir, { recursive: true });
  const created = { jwtSecret: randomBytes(32).toString("hex") };
  try {
    await fs.writeFile(file, `${JSON.stringify(created, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    return created.jwtSecret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stored = JSON.parse(await fs.readFile(file, "utf8")) as { jwtSecret?: unknown };
  if (typeof stored.jwtSecret !== "string" || stored.jwtSecret.length < 32) {
    throw new Error(`${file} has no usable jwtSecret (a string of at least 32 characters)`);
  }
  return stored.jwtSecret;
}

/**
 * Verifies a user's access token the way the app does on every request: HS256 signature
 * with the project's secret, not expired, audience "authenticated", a subject and a role.
 * Throws on any failure.
 */
export async function verifyAccessToken(token: string, secret: string): Promise<JwtClaims> {
  const { payload } = await jwtVerify(token, encodeSecret(secret), {
    algorithms: ["HS256"],
    audience: "authenticated",
    requiredClaims: ["sub", "exp"],
  });
  if (typeof payload.sub !== "string" || payload.sub === "") throw new Error("Access token has no subject");
  if (payload.role !== "authenticated" && payload.role !== "anon" && payload.role !== "service_role") {
    throw new Error("Access token has an unexpected role");
  }
  return payload as unknown as JwtClaims;
}

import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalKeys, loadOrCreateLocalSecret, verifyAccessToken } from "./keys.server";

// The secret and keys `supabase start` prints for every local project.
const DEMO_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
const DEMO_ANON_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";
const DEMO_SERVICE_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";
const SECRET = "a-test-secret-of-more-than-thirty-two-characters";
const encode = (s: string) => new TextEncoder().encode(s);

describe("createLocalKeys", () => {
  it("reproduces Supabase local development's keys for its demo secret", async () => {
    expect(await createLocalKeys(DEMO_SECRET)).toEqual({ anonKey: DEMO_ANON_KEY, serviceRoleKey: DEMO_SERVICE_KEY });
  });

  it("is deterministic per secret and differs between secrets", async () => {
    const a = await createLocalKeys(SECRET);
    expect(await createLocalKeys(SECRET)).toEqual(a);
    expect((await createLocalKeys(`${SECRET}-2`)).anonKey).not.toBe(a.anonKey);
    expect(decodeProtectedHeader(a.anonKey)).toEqual({ alg: "HS256", typ: "JWT" });
    expect(decodeJwt(a.anonKey)).toEqual({ iss: "supabase-demo", role: "anon", exp: 1983812996 });
    expect(decodeJwt(a.serviceRoleKey)).toEqual({ iss: "supabase-demo", role: "service_role", exp: 1983812996 });
  });
});

describe("loadOrCreateLocalSecret", () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tongke-secret-"));
    dirs.push(dir);
    return path.join(dir, "nested", ".data");
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
  });

  it("creates a 64-character secret readable only by its owner, then keeps returning it", async () => {
    const dir = await tempDir();
    const secret = await loadOrCreateLocalSecret(dir);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const stat = await fs.stat(path.join(dir, "local-secrets.json"));
    expect(stat.mode & 0o777).toBe(0o600);
    expect(await loadOrCreateLocalSecret(dir)).toBe(secret);
    expect(JSON.parse(await fs.readFile(path.join(dir, "local-secrets.json"), "utf8"))).toEqual({ jwtSecret: secret });
  });

  it("refuses a secrets file without a usable secret", async () => {
    const dir = await tempDir();
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "local-secrets.json"), JSON.stringify({ jwtSecret: "short" }));
    await expect(loadOrCreateLocalSecret(dir)).rejects.toThrow(/jwtSecret/);
  });
});

describe("verifyAccessToken", () => {
  const sign = (claims: Record<string, unknown>, secret = SECRET, expiresIn: string | number = "1h") =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime(expiresIn).sign(encode(secret));
  const user = { sub: "7d0c1b1e-6a8f-4e6e-9a51-2f6b1f0b9a11", role: "authenticated", aud: "authenticated", email: "t@example.test" };

  it("returns the claims of a valid user token", async () => {
    const claims = await verifyAccessToken(await sign({ ...user, session_id: "s" }), SECRET);
    expect(claims).toMatchObject({ ...user, session_id: "s" });
    expect(claims.exp).toBeGreaterThan(claims.iat!);
  });

  it("rejects wrong signatures, expired tokens, API keys and tokens without a subject", async () => {
    await expect(verifyAccessToken(await sign(user, `${SECRET}-other`), SECRET)).rejects.toThrow();
    await expect(verifyAccessToken(await sign(user, SECRET, Math.floor(Date.now() / 1000) - 10), SECRET)).rejects.toThrow();
    await expect(verifyAccessToken((await createLocalKeys(SECRET)).anonKey, SECRET)).rejects.toThrow();
    await expect(verifyAccessToken(await sign({ role: "authenticated", aud: "authenticated" }), SECRET)).rejects.toThrow();
    await expect(verifyAccessToken(await sign({ ...user, aud: "elsewhere" }), SECRET)).rejects.toThrow();
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(user)).toString("base64url")}.`;
    await expect(verifyAccessToken(none, SECRET)).rejects.toThrow();
  });
});

import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { AuthHttpError } from "./errors.server";
import { buildAccessTokenClaims, newRefreshToken, signJwt, tokenResponse, verifyBearer } from "./tokens.server";
import type { UserRow } from "./users.server";

const SECRET = "unit-test-secret-with-enough-characters-0123";
const user = {
  id: "0f8fad5b-d9cb-469f-a165-70867728950e",
  aud: "authenticated",
  role: "authenticated",
  email: "teacher@example.test",
  phone: null,
  raw_app_meta_data: { provider: "email", providers: ["email"] },
  raw_user_meta_data: { display_name: "张老师" },
  is_anonymous: false,
} as unknown as UserRow;

describe("buildAccessTokenClaims", () => {
  it("produces GoTrue's access-token claims", () => {
    const claims = buildAccessTokenClaims({
      user,
      sessionId: "5b2c7a0e-8f63-4f2a-9a3e-0d3f4c5b6a71",
      sessionCreatedAt: new Date("2025-03-01T08:00:00Z"),
      issuer: "http://localhost:3000/auth/v1",
      issuedAt: 1_740_000_000,
      ttlSeconds: 3600,
    });
    expect(claims).toEqual({
      iss: "http://localhost:3000/auth/v1",
      sub: user.id,
      aud: "authenticated",
      exp: 1_740_003_600,
      iat: 1_740_000_000,
      email: "teacher@example.test",
      phone: "",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: { display_name: "张老师" },
      role: "authenticated",
      aal: "aal1",
      amr: [{ method: "password", timestamp: Date.parse("2025-03-01T08:00:00Z") / 1000 }],
      session_id: "5b2c7a0e-8f63-4f2a-9a3e-0d3f4c5b6a71",
      is_anonymous: false,
    });
  });
});

describe("tokenResponse", () => {
  it("has the token endpoint's fields, expires_at from the claims", () => {
    const claims = { exp: 2000, iat: 1000 } as never;
    expect(tokenResponse({ accessToken: "a", claims, refreshToken: "r", user: { id: "u" } })).toEqual({
      access_token: "a",
      token_type: "bearer",
      expires_in: 1000,
      expires_at: 2000,
      refresh_token: "r",
      user: { id: "u" },
    });
  });
});

describe("verifyBearer", () => {
  it("accepts tokens signed with the secret", async () => {
    const token = await signJwt({ sub: "x", role: "authenticated", exp: Math.floor(Date.now() / 1000) + 60 }, SECRET);
    expect(decodeJwt(token).sub).toBe("x");
    expect((await verifyBearer(token, SECRET)).role).toBe("authenticated");
  });

  it("answers 403 bad_jwt for forged, expired or malformed tokens", async () => {
    const forged = await signJwt({ sub: "x" }, `${SECRET}-forged`);
    const expired = await signJwt({ sub: "x", exp: Math.floor(Date.now() / 1000) - 5 }, SECRET);
    for (const token of [forged, expired, "garbage"]) {
      const error = await verifyBearer(token, SECRET).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthHttpError);
      expect(error).toMatchObject({ status: 403, code: "bad_jwt" });
    }
  });
});

describe("newRefreshToken", () => {
  it("is random and URL-safe", () => {
    const tokens = new Set(Array.from({ length: 50 }, newRefreshToken));
    expect(tokens.size).toBe(50);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

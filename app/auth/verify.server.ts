import { createRemoteJWKSet, jwtVerify } from "jose";
import type { JwtClaims } from "~/db/types";

/**
 * Verifies access tokens without calling Auth on every request: with the project's JWT
 * secret (HS256, the embedded default and legacy Supabase projects) or with the signing
 * keys Supabase publishes (asymmetric JWT signing keys).
 */
export function createAccessTokenVerifier(options: { jwtSecret?: string; supabaseUrl: string }) {
  const key = options.jwtSecret
    ? new TextEncoder().encode(options.jwtSecret)
    : createRemoteJWKSet(new URL("/auth/v1/.well-known/jwks.json", options.supabaseUrl));
  return async (token: string): Promise<JwtClaims> => {
    const { payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], { audience: "authenticated" });
    if (typeof payload.sub !== "string" || payload.role !== "authenticated") throw new Error("not a user access token");
    return payload as unknown as JwtClaims;
  };
}

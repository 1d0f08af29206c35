import { randomBytes } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { forbidden } from "./errors.server";
import type { UserRow } from "./users.server";

export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  email: string;
  phone: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  role: string;
  aal: "aal1";
  amr: { method: string; timestamp: number }[];
  session_id: string;
  is_anonymous: boolean;
}

/** The claims GoTrue's GenerateAccessToken puts in a user's access token. */
export function buildAccessTokenClaims(input: {
  user: UserRow;
  sessionId: string;
  sessionCreatedAt: Date;
  issuer: string;
  issuedAt: number;
  ttlSeconds: number;
  /** How the session began (GoTrue's amr method): "password", or "otp" for an email link. */
  method?: "password" | "otp";
}): AccessTokenClaims {
  const { user } = input;
  return {
    iss: input.issuer,
    sub: user.id,
    aud: user.aud ?? "authenticated",
    exp: input.issuedAt + input.ttlSeconds,
    iat: input.issuedAt,
    email: user.email ?? "",
    phone: user.phone ?? "",
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? "authenticated",
    aal: "aal1",
    amr: [{ method: input.method ?? "password", timestamp: Math.floor(input.sessionCreatedAt.getTime() / 1000) }],
    session_id: input.sessionId,
    is_anonymous: user.is_anonymous,
  };
}

const key = (secret: string) => new TextEncoder().encode(secret);

export function signJwt(claims: JWTPayload, secret: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key(secret));
}

/**
 * GoTrue's parseJWTClaims: HS256 with the project secret, expiry checked, no audience
 * requirement. Any failure is 403 bad_jwt.
 */
export async function verifyBearer(token: string, secret: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"] });
    return payload;
  } catch (error) {
    const reason =
      error instanceof joseErrors.JWTExpired
        ? "token has invalid claims: token is expired"
        : error instanceof joseErrors.JWSSignatureVerificationFailed
          ? "signature is invalid"
          : "token is malformed";
    throw forbidden("bad_jwt", `invalid JWT: unable to parse or verify signature, ${reason}`);
  }
}

/** An opaque refresh token (GoTrue stores them as-is in auth.refresh_tokens.token). */
export const newRefreshToken = () => randomBytes(24).toString("base64url");

/** The password grant and refresh grant response (GoTrue's AccessTokenResponse). */
export function tokenResponse(input: {
  accessToken: string;
  claims: AccessTokenClaims;
  refreshToken: string;
  user: unknown;
  weakPassword?: { message: string; reasons: string[] };
}) {
  return {
    access_token: input.accessToken,
    token_type: "bearer",
    expires_in: input.claims.exp - input.claims.iat,
    expires_at: input.claims.exp,
    refresh_token: input.refreshToken,
    user: input.user,
    ...(input.weakPassword ? { weak_password: input.weakPassword } : {}),
  };
}

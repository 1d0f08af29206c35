import type { Request } from "express";
import { errors as joseErrors } from "jose";
import type { JwtClaims } from "~/db/types";
import { storageErrors } from "./errors.server";

const BEARER = /^bearer\s+(\S+)\s*$/i;

export interface RequesterOptions {
  anonKey: string;
  serviceRoleKey: string;
  /** The app's access-token verifier: signature, expiry, audience and role "authenticated". */
  verifyAccessToken: (token: string) => Promise<JwtClaims>;
}

/**
 * Who asks, as Storage's JWT plugin decides it: the bearer token (else the API key) is the
 * anon key — anonymous, `null` — or a user's verified access token. Anything else is
 * AccessDenied with the verifier's reason. The service role is not served: nothing in the
 * app stores files as the service role, and it would bypass every policy.
 */
export async function identifyRequester(req: Request, options: RequesterOptions): Promise<JwtClaims | null> {
  const token = BEARER.exec(req.get("authorization") ?? "")?.[1] ?? req.get("apikey");
  if (!token) throw storageErrors.accessDenied("jwt must be provided");
  if (token === options.anonKey) return null;
  if (token === options.serviceRoleKey) {
    throw storageErrors.accessDenied("the embedded Storage server does not serve the service role");
  }
  try {
    return await options.verifyAccessToken(token);
  } catch (error) {
    throw storageErrors.accessDenied(jwtFailure(error));
  }
}

function jwtFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "jwt expired";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "invalid signature";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `jwt ${error.claim} invalid`;
  if (error instanceof joseErrors.JOSEError) return "jwt malformed";
  return "invalid jwt";
}

import type { NextFunction, Request, Response } from "express";
import type { JWTPayload } from "jose";
import type { DbHandle } from "~/db/client.server";
import { AuthHttpError, forbidden } from "./errors.server";
import { verifyBearer } from "./tokens.server";
import { findUserById, isUuid, type UserRow } from "./users.server";

const BEARER = /^bearer\s+(\S+)\s*$/i;

export function bearerToken(req: Request): string {
  const match = BEARER.exec(req.get("authorization") ?? "");
  if (!match) throw new AuthHttpError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  return match[1];
}

/**
 * What Supabase's API gateway does before GoTrue sees a request: an API key (the `apikey`
 * header or query parameter, else the bearer token) must be the project's anon or
 * service-role key. Answers like the gateway: 401 `{message, hint}`, not GoTrue's format.
 */
export function requireApiKey(options: { jwtSecret: string; anonKey: string; serviceRoleKey: string }) {
  const known = new Set([options.anonKey, options.serviceRoleKey]);
  return (req: Request, res: Response, next: NextFunction) => {
    const query = typeof req.query.apikey === "string" ? req.query.apikey : undefined;
    const key = req.get("apikey") ?? query ?? BEARER.exec(req.get("authorization") ?? "")?.[1];
    if (!key) {
      res.status(401).json({ message: "No API key found in request", hint: "No `apikey` request header or url param was found." });
      return;
    }
    if (known.has(key)) return next();
    verifyBearer(key, options.jwtSecret).then(
      (claims) => {
        if (claims.role === "anon" || claims.role === "service_role") return next();
        res.status(401).json({ message: "Invalid API key", hint: "Double check your Supabase `anon` or `service_role` API key." });
      },
      () => {
        res.status(401).json({ message: "Invalid API key", hint: "Double check your Supabase `anon` or `service_role` API key." });
      },
    );
  };
}

export interface Authenticated {
  claims: JWTPayload & { session_id?: string; role?: string };
  user: UserRow;
  sessionId: string | null;
}

/** GoTrue's requireAuthentication + maybeLoadUserOrSession. */
export async function authenticate(req: Request, handle: DbHandle, jwtSecret: string): Promise<Authenticated> {
  const claims = (await verifyBearer(bearerToken(req), jwtSecret)) as Authenticated["claims"];
  if (!claims.sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!isUuid(claims.sub)) throw new AuthHttpError(400, "bad_jwt", "invalid claim: sub claim must be a UUID");
  const user = await findUserById(handle, claims.sub);
  if (!user || user.deleted_at !== null) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  const sessionId = typeof claims.session_id === "string" && claims.session_id !== "" ? claims.session_id : null;
  if (sessionId !== null && sessionId !== "00000000-0000-0000-0000-000000000000") {
    if (!isUuid(sessionId)) throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
    const rows = await handle.query(`select 1 from auth.sessions where id = $1::uuid and user_id = $2::uuid`, [sessionId, user.id]);
    if (rows.length === 0) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
  }
  return { claims, user, sessionId };
}

/** GoTrue's requireAdmin: the bearer token's role must be service_role (or supabase_admin). */
export async function requireAdmin(req: Request, jwtSecret: string): Promise<void> {
  const claims = await verifyBearer(bearerToken(req), jwtSecret);
  if (claims.role !== "service_role" && claims.role !== "supabase_admin") {
    throw forbidden("not_admin", "User not allowed");
  }
}

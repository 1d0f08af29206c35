import express, { type NextFunction, type Request, type Response } from "express";
import type { DbHandle } from "../../db/client.server";
import { deleteUser, getUserById, listUsers } from "./admin.server";
import { createUser, updateUser as adminUpdateUser } from "./admin-write.server";
import { readBody } from "./body.server";
import { AuthHttpError, badRequest, notFound, sendAuthError, unexpectedFailure } from "./errors.server";
import { requireAdmin, requireApiKey } from "./guards.server";
import { invite } from "./invite.server";
import { createOutboxMailer, defaultInviteTemplatePath, readTemplate, type Mailer } from "./mailer.server";
import { passwordGrant } from "./password-grant.server";
import { createPasswordVerifier } from "./credentials.server";
import {
  createMemoryLimiters,
  createSignInGuard,
  DEFAULT_SIGN_IN_RATE_LIMIT,
  type SignInLimiters,
  type SignInRateLimit,
} from "./rate-limit.server";
import { refreshGrant } from "./refresh-grant.server";
import type { AuthContext } from "./sessions.server";
import { getUser, logout, signupDisabled, updateUser } from "./user-endpoints.server";
import { createVerifier, DEFAULT_INVITATION_TTL_SECONDS } from "./verify.server";

export interface EmbeddedAuthOptions {
  handle: DbHandle;
  jwtSecret: string;
  /** The app's public origin, e.g. http://localhost:3000; tokens' iss is `${apiUrl}/auth/v1`. */
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Default 3600, as GoTrue's JWT_EXP. */
  accessTokenTtlSeconds?: number;
  /** Failed password sign-ins: default 5 per email and 20 per IP per 15 minutes. */
  rateLimit?: SignInRateLimit;
  /** Replaces the in-memory limiters (e.g. RateLimiterRedis when several instances run). */
  rateLimiters?: SignInLimiters;
  /** GoTrue's REFRESH_TOKEN_REUSE_INTERVAL; default 10 seconds. */
  refreshTokenReuseIntervalSeconds?: number;
  /** Where unexpected (500) errors are reported; default console.error. */
  onUnexpectedError?: (error: unknown) => void;
  /** Where invitation mail goes; default auth.local_outbox (the development outbox). */
  mailer?: Mailer;
  /** The invitation mail template; default <TONGKE_ROOT or cwd>/supabase/templates/invite.html. */
  inviteTemplatePath?: string;
  /** How long an invitation link works; default 24 hours. */
  invitationTtlSeconds?: number;
  /** Failed verifications per client IP; default 30 per 5 minutes. */
  verifyRateLimit?: { points: number; durationSeconds: number };
}

export const GOTRUE_VERSION = "v2.177.0-tongke-embedded";

/** The Supabase Auth (GoTrue) HTTP API, served by the app itself; mount at `/auth/v1`. */
export function createEmbeddedAuthRouter(options: EmbeddedAuthOptions): express.Router {
  const siteUrl = options.apiUrl.replace(/\/+$/, "");
  const ctx: AuthContext = {
    handle: options.handle,
    jwtSecret: options.jwtSecret,
    issuer: `${siteUrl}/auth/v1`,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenReuseIntervalSeconds: options.refreshTokenReuseIntervalSeconds ?? 10,
  };
  const guard = createSignInGuard(options.rateLimiters ?? createMemoryLimiters(options.rateLimit ?? DEFAULT_SIGN_IN_RATE_LIMIT));
  const verifyPassword = createPasswordVerifier();
  const reportUnexpected = options.onUnexpectedError ?? ((error: unknown) => console.error("[embedded auth]", error));
  const mailer = options.mailer ?? createOutboxMailer(options.handle);
  const templatePath = options.inviteTemplatePath ?? defaultInviteTemplatePath();
  const inviteDeps = { mailer, siteUrl, template: () => readTemplate(templatePath) };
  const verifier = createVerifier(ctx, {
    siteUrl,
    invitationTtlSeconds: options.invitationTtlSeconds ?? DEFAULT_INVITATION_TTL_SECONDS,
    rateLimit: options.verifyRateLimit,
  });

  type Handler = (req: Request, res: Response) => Promise<unknown>;
  const answer = (handler: Handler, status = 200) => (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).then((body) => {
      if (status === 204) res.status(204).end();
      else res.status(status).json(body);
    }, next);
  };
  const admin = (handler: Handler) => answer(async (req, res) => {
    await requireAdmin(req, ctx.jwtSecret);
    return handler(req, res);
  });

  const router = express.Router();
  // Open routes, as on Supabase's gateway: the link in a mail carries no API key.
  router.get("/verify", (req, res, next) => {
    verifier.verifyGet(req, res).catch(next);
  });
  router.post("/verify", answer((req) => verifier.verifyPost(req)));
  router.use(requireApiKey(options));

  router.get("/health", answer(async () => ({
    version: GOTRUE_VERSION,
    name: "GoTrue",
    description: "GoTrue is a user registration and authentication API",
  })));
  router.get("/settings", answer(async () => ({
    external: { anonymous_users: false, email: true, phone: false, saml: false },
    disable_signup: true,
    mailer_autoconfirm: false,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
  })));
  router.post("/signup", answer(async () => {
    throw signupDisabled();
  }));

  router.post("/token", answer(async (req) => {
    const body = await readBody(req, { allowForm: true });
    const grant = typeof req.query.grant_type === "string" ? req.query.grant_type : body.grant_type;
    if (grant === "password") return passwordGrant(ctx, req, body, { guard, verifyPassword });
    if (grant === "refresh_token") return refreshGrant(ctx, req, body);
    throw badRequest("invalid_credentials", "unsupported_grant_type");
  }));
  router.get("/user", answer((req) => getUser(ctx, req)));
  router.put("/user", answer((req) => updateUser(ctx, req, verifyPassword)));
  router.post("/logout", answer((req) => logout(ctx, req), 204));

  router.post("/invite", admin((req) => invite(ctx, req, inviteDeps)));
  router.get("/admin/users", admin((req, res) => listUsers(ctx, req, res)));
  router.post("/admin/users", admin((req) => createUser(ctx, req)));
  router.get("/admin/users/:id", admin((req) => getUserById(ctx, req.params.id)));
  router.put("/admin/users/:id", admin((req) => adminUpdateUser(ctx, req, req.params.id)));
  router.delete("/admin/users/:id", admin((req) => deleteUser(ctx, req, req.params.id)));

  router.use((req, res) => sendAuthError(req, res, notFound("not_found", "Not Found")));
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof AuthHttpError) return sendAuthError(req, res, error);
    reportUnexpected(error);
    sendAuthError(req, res, unexpectedFailure());
  });
  return router;
}

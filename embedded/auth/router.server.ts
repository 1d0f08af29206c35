import express, { type NextFunction, type Request, type Response } from "express";
import type { DbHandle } from "~/db/client.server";
import { deleteUser, getUserById, listUsers } from "./admin.server";
import { createUser, updateUser as adminUpdateUser } from "./admin-write.server";
import { readBody } from "./body.server";
import { AuthHttpError, badRequest, notFound, sendAuthError, unexpectedFailure } from "./errors.server";
import { requireAdmin, requireApiKey } from "./guards.server";
import { invite } from "./invite.server";
import {
  createOutboxMailer,
  defaultInviteTemplatePath,
  defaultTemplateSource,
  readTemplate,
  type Mailer,
  type TemplateSource,
} from "./mailer.server";
import { otp, recover, resend } from "./email-endpoints.server";
import { createEmailBudget, DEFAULT_MAX_FREQUENCY_SECONDS, type EmailLinkDeps } from "./email-links.server";
import { generateLink } from "./generate-link.server";
import { createDisabledFeaturesRouter, pkceGrant, signupRefused, web3Disabled } from "./disabled.server";
import { authenticate } from "./guards.server";
import { RateLimiterRes } from "rate-limiter-flexible";
import { passwordGrant } from "./password-grant.server";
import { createPasswordVerifier } from "./credentials.server";
import {
  createDatabaseLimiters,
  createSignInGuard,
  databaseLimiter,
  DEFAULT_SIGN_IN_RATE_LIMIT,
  type SignInLimiters,
  type SignInRateLimit,
} from "./rate-limit.server";
import { refreshGrant } from "./refresh-grant.server";
import type { AuthContext } from "./sessions.server";
import { getUser, logout, updateUser } from "./user-endpoints.server";
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
  /** Failed password sign-ins: 5 in a row per address and client IP (15 minutes), then per address 1, 2, 4 … s apart, 100 an hour per IP. */
  rateLimit?: SignInRateLimit;
  /** Replaces the limiters kept in the database (auth.tongke_sign_in_limits). */
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
  /** The recovery, magic-link, confirmation and email-change templates; default supabase/templates/. */
  templates?: TemplateSource;
  /** Seconds between two mails of one kind to one user (GoTrue's SMTP_MAX_FREQUENCY); default 60. */
  emailMaxFrequencySeconds?: number;
  /** Mails sent per hour, all addresses together (GoTrue's RATE_LIMIT_EMAIL_SENT); default 100. */
  emailsPerHour?: number;
  /** Requests to /recover, /otp and /resend per client IP; default 30 per 5 minutes. */
  emailRequestRateLimit?: { points: number; durationSeconds: number };
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
  const guard = createSignInGuard(
    options.rateLimiters ?? createDatabaseLimiters(options.handle, options.rateLimit ?? DEFAULT_SIGN_IN_RATE_LIMIT),
  );
  const verifyPassword = createPasswordVerifier();
  const reportUnexpected = options.onUnexpectedError ?? ((error: unknown) => console.error("[embedded auth]", error));
  const mailer = options.mailer ?? createOutboxMailer(options.handle);
  const templatePath = options.inviteTemplatePath ?? defaultInviteTemplatePath();
  const inviteDeps = { mailer, siteUrl, template: () => readTemplate(templatePath) };
  const emailDeps: EmailLinkDeps = {
    handle: options.handle,
    mailer,
    siteUrl,
    templates: options.templates ?? defaultTemplateSource,
    maxFrequencySeconds: options.emailMaxFrequencySeconds ?? DEFAULT_MAX_FREQUENCY_SECONDS,
    emailsPerHour: createEmailBudget(options.handle, options.emailsPerHour),
  };
  const emailRequests = options.emailRequestRateLimit ?? { points: 30, durationSeconds: 5 * 60 };
  const emailRequestsPerIp = databaseLimiter(options.handle, { keyPrefix: "auth-email-requests", ...emailRequests });
  /** GoTrue's per-IP limiter on the routes that send mail: 429 over_request_rate_limit. */
  const limitEmailRequests = (req: Request, _res: Response, next: NextFunction) => {
    emailRequestsPerIp.consume(req.ip ?? req.socket.remoteAddress ?? "unknown").then(
      () => next(),
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) return next(rejection);
        next(
          new AuthHttpError(429, "over_request_rate_limit", "Request rate limit reached", {
            retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
          }),
        );
      },
    );
  };
  const verifier = createVerifier(ctx, {
    siteUrl,
    invitationTtlSeconds: options.invitationTtlSeconds ?? DEFAULT_INVITATION_TTL_SECONDS,
    rateLimit: options.verifyRateLimit,
  });

  type Handler = (req: Request, res: Response) => Promise<unknown>;
  const answer =
    (handler: Handler, status = 200) =>
    (req: Request, res: Response, next: NextFunction) => {
      handler(req, res).then((body) => {
        if (status === 204) res.status(204).end();
        else res.status(status).json(body);
      }, next);
    };
  const admin = (handler: Handler) =>
    answer(async (req, res) => {
      await requireAdmin(req, ctx.jwtSecret);
      return handler(req, res);
    });

  const router = express.Router();
  // Open routes, as on Supabase's gateway: the link in a mail carries no API key.
  router.get("/verify", (req, res, next) => {
    verifier.verifyGet(req, res).catch(next);
  });
  router.post(
    "/verify",
    answer((req) => verifier.verifyPost(req)),
  );
  router.use(requireApiKey(options));

  router.get(
    "/health",
    answer(async () => ({
      version: GOTRUE_VERSION,
      name: "GoTrue",
      description: "GoTrue is a user registration and authentication API",
    })),
  );
  router.get(
    "/settings",
    answer(async () => ({
      external: { anonymous_users: false, email: true, phone: false, saml: false },
      disable_signup: true,
      mailer_autoconfirm: false,
      phone_autoconfirm: false,
      sms_provider: "",
      saml_enabled: false,
    })),
  );
  router.post(
    "/signup",
    answer((req) => signupRefused(req)),
  );
  router.post(
    "/recover",
    limitEmailRequests,
    answer((req) => recover(emailDeps, req)),
  );
  router.post(
    "/otp",
    limitEmailRequests,
    answer((req) => otp(emailDeps, req)),
  );
  router.post(
    "/resend",
    limitEmailRequests,
    answer((req) => resend(emailDeps, req)),
  );

  router.post(
    "/token",
    answer(async (req) => {
      const body = await readBody(req, { allowForm: true });
      const grant = typeof req.query.grant_type === "string" ? req.query.grant_type : body.grant_type;
      if (grant === "password") return passwordGrant(ctx, req, body, { guard, verifyPassword });
      if (grant === "refresh_token") return refreshGrant(ctx, req, body);
      if (grant === "pkce") return pkceGrant(body);
      if (grant === "web3") throw web3Disabled();
      throw badRequest("invalid_credentials", "unsupported_grant_type");
    }),
  );
  router.get(
    "/user",
    answer((req) => getUser(ctx, req)),
  );
  router.put(
    "/user",
    answer((req) => updateUser(ctx, req, verifyPassword, emailDeps)),
  );
  router.use(createDisabledFeaturesRouter((req) => authenticate(req, ctx.handle, ctx.jwtSecret)));
  router.post(
    "/logout",
    answer((req) => logout(ctx, req), 204),
  );

  router.post(
    "/invite",
    admin((req) => invite(ctx, req, inviteDeps)),
  );
  router.post(
    "/admin/generate_link",
    admin((req) => generateLink(ctx, req, siteUrl)),
  );
  router.get(
    "/admin/users",
    admin((req, res) => listUsers(ctx, req, res)),
  );
  router.post(
    "/admin/users",
    admin((req) => createUser(ctx, req)),
  );
  router.get(
    "/admin/users/:id",
    admin((req) => getUserById(ctx, req.params.id)),
  );
  router.put(
    "/admin/users/:id",
    admin((req) => adminUpdateUser(ctx, req, req.params.id)),
  );
  router.delete(
    "/admin/users/:id",
    admin((req) => deleteUser(ctx, req, req.params.id)),
  );

  router.use((req, res) => sendAuthError(req, res, notFound("not_found", "Not Found")));
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof AuthHttpError) return sendAuthError(req, res, error);
    reportUnexpected(error);
    sendAuthError(req, res, unexpectedFailure());
  });
  return router;
}

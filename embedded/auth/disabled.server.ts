import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { readParams } from "./body.server";
import { badRequest, notFound, unprocessable, type AuthHttpError } from "./errors.server";

/**
 * What GoTrue answers for the features this project keeps switched off (supabase/config.toml:
 * signups, anonymous sign-ins, SAML SSO, MFA, manual identity linking, OAuth providers, web3),
 * so that supabase-js reports the same code and status here as against Supabase — never a
 * generic 404. Decision 001 lists them and why they stay off.
 */

const SignupParams = z.object({ email: z.string().optional(), phone: z.string().optional() }).passthrough();

/** POST /signup: GoTrue checks for an anonymous sign-up (no email, no phone) first. */
export async function signupRefused(req: Request): Promise<never> {
  const params = await readParams(req, SignupParams);
  if (!params.email && !params.phone) throw unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
  throw unprocessable("signup_disabled", "Signups not allowed for this instance");
}

export const web3Disabled = () => unprocessable("web3_provider_disabled", "Web3 provider is disabled");

const PkceParams = z.object({ auth_code: z.string().optional(), code_verifier: z.string().optional() }).passthrough();

/**
 * grant_type=pkce: this server never issues an auth code (its mails carry token-hash links,
 * verified by POST /verify), so every code is GoTrue's flow_state_not_found.
 */
export async function pkceGrant(body: Record<string, unknown>): Promise<never> {
  const params = PkceParams.safeParse(body);
  const authCode = params.success ? (params.data.auth_code ?? "") : "";
  const verifier = params.success ? (params.data.code_verifier ?? "") : "";
  if (authCode === "" || verifier === "") {
    throw badRequest("validation_failed", "invalid request: both auth code and code verifier should be non-empty");
  }
  throw notFound("flow_state_not_found", "invalid flow state, no valid flow state found");
}

const FactorParams = z.object({ factor_type: z.string().optional() }).passthrough();
const ENROLL_DISABLED: Record<string, () => AuthHttpError> = {
  totp: () => unprocessable("mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP"),
  phone: () => unprocessable("mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone"),
  webauthn: () => unprocessable("mfa_webauthn_enroll_not_enabled", "MFA enroll is disabled for WebAuthn"),
};

/**
 * The routes of switched-off features. `authenticated` is GoTrue's requireAuthentication for
 * the routes that sit behind it (/factors, /user/identities): a caller without a valid session
 * hears about that first, as from GoTrue.
 */
export function createDisabledFeaturesRouter(authenticated: (req: Request) => Promise<unknown>): express.Router {
  const router = express.Router();
  const fail = (work: (req: Request) => Promise<never>) => (req: Request, _res: Response, next: NextFunction) => {
    work(req).catch(next);
  };
  const samlDisabled = fail(async () => {
    throw notFound("saml_provider_disabled", "SAML 2.0 is disabled");
  });
  router.all(["/sso", "/sso/*", "/saml/*"], samlDisabled);

  router.get(
    "/authorize",
    fail(async () => {
      throw badRequest("validation_failed", "Unsupported provider: provider is not enabled");
    }),
  );

  router.post(
    "/factors",
    fail(async (req) => {
      await authenticated(req);
      const { factor_type: type = "" } = await readParams(req, FactorParams);
      throw ENROLL_DISABLED[type]?.() ?? badRequest("validation_failed", "factor_type needs to be totp, phone, or webauthn");
    }),
  );
  const factorNotFound = fail(async (req) => {
    await authenticated(req);
    throw notFound("mfa_factor_not_found", "Factor not found");
  });
  router.post(["/factors/:id/challenge", "/factors/:id/verify"], factorNotFound);
  router.delete("/factors/:id", factorNotFound);

  const linkingDisabled = fail(async (req) => {
    await authenticated(req);
    throw notFound("manual_linking_disabled", "Manual linking is disabled");
  });
  router.get("/user/identities/authorize", linkingDisabled);
  router.delete("/user/identities/:id", linkingDisabled);
  return router;
}

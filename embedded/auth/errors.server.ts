import type { Request, Response } from "express";

/**
 * GoTrue's error vocabulary (internal/api/apierrors/errorcode.go), limited to the codes
 * the embedded server answers with.
 */
export type AuthErrorCode =
  | "unexpected_failure"
  | "validation_failed"
  | "bad_json"
  | "email_exists"
  | "user_already_exists"
  | "bad_jwt"
  | "not_admin"
  | "no_authorization"
  | "user_not_found"
  | "session_not_found"
  | "session_expired"
  | "refresh_token_not_found"
  | "refresh_token_already_used"
  | "signup_disabled"
  | "user_banned"
  | "otp_expired"
  | "email_not_confirmed"
  | "email_address_invalid"
  | "email_address_not_authorized"
  | "phone_provider_disabled"
  | "same_password"
  | "weak_password"
  | "over_request_rate_limit"
  | "invalid_credentials"
  | "not_found"
  | "conflict"
  | "anonymous_provider_disabled"
  | "otp_disabled"
  | "over_email_send_rate_limit"
  | "email_provider_disabled"
  | "provider_disabled"
  | "saml_provider_disabled"
  | "manual_linking_disabled"
  | "mfa_totp_enroll_not_enabled"
  | "mfa_phone_enroll_not_enabled"
  | "mfa_webauthn_enroll_not_enabled"
  | "mfa_factor_not_found"
  | "web3_provider_disabled"
  | "flow_state_not_found";

/** An answer in GoTrue's error format; thrown by handlers, rendered by `sendAuthError`. */
export class AuthHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: AuthErrorCode,
    message: string,
    readonly extra: { weakPasswordReasons?: string[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "AuthHttpError";
  }
}

export const badRequest = (code: AuthErrorCode, message: string) => new AuthHttpError(400, code, message);
export const unprocessable = (code: AuthErrorCode, message: string) => new AuthHttpError(422, code, message);
export const forbidden = (code: AuthErrorCode, message: string) => new AuthHttpError(403, code, message);
export const notFound = (code: AuthErrorCode, message: string) => new AuthHttpError(404, code, message);
export const tooManyRequests = (code: AuthErrorCode, message: string, retryAfterSeconds?: number) =>
  new AuthHttpError(429, code, message, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });

export const weakPassword = (message: string, reasons: string[]) =>
  new AuthHttpError(422, "weak_password", message, { weakPasswordReasons: reasons });

export const API_VERSION_HEADER = "x-supabase-api-version";
const API_VERSION_2024 = Date.parse("2024-01-01T00:00:00Z");

/**
 * GoTrue's DetermineClosestAPIVersion: a valid YYYY-MM-DD on or after 2024-01-01 selects the
 * 2024-01-01 format; anything else (absent, malformed, older) the initial one.
 */
export function requestedApiVersion(header: string | undefined): "2024-01-01" | null {
  if (!header || !/^\d{4}-\d{2}-\d{2}$/.test(header)) return null;
  const at = Date.parse(`${header}T00:00:00Z`);
  return Number.isFinite(at) && at >= API_VERSION_2024 ? "2024-01-01" : null;
}

/** The status, headers and body GoTrue sends for an error, for a given API version. */
export function formatAuthError(error: AuthHttpError, apiVersion: "2024-01-01" | null) {
  const headers: Record<string, string> = {};
  if (apiVersion) headers[API_VERSION_HEADER] = apiVersion;
  if (error.extra.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.extra.retryAfterSeconds);
  const weak = error.extra.weakPasswordReasons ? { weak_password: { reasons: error.extra.weakPasswordReasons } } : {};
  const body = apiVersion
    ? { code: error.code, message: error.message, ...weak }
    : { code: error.status, error_code: error.code, msg: error.message, ...weak };
  return { status: error.status, headers, body };
}

export function sendAuthError(req: Request, res: Response, error: AuthHttpError) {
  const { status, headers, body } = formatAuthError(error, requestedApiVersion(req.get(API_VERSION_HEADER)));
  res.status(status).set(headers).json(body);
}

export const unexpectedFailure = () =>
  new AuthHttpError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information");

/** PostgreSQL's unique violation (23505): the row, typically the address, is taken. */
export const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "23505";

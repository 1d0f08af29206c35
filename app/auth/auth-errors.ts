import { PASSWORD_PROBLEM_KEYS, problemOfWeakPasswordReasons } from "./password-policy";

/** Supabase Auth error codes the portal explains to people; anything else is "unavailable". */
const KNOWN: Record<string, string> = {
  invalid_credentials: "auth:errors.invalidCredentials",
  over_request_rate_limit: "auth:errors.rateLimited",
  same_password: "validation:passwordUnchanged",
  user_banned: "auth:errors.banned",
};

/** `reasons`: a weak_password answer's (AuthWeakPasswordError.reasons), told apart by what to do. */
export function authErrorKey(code: string | undefined, reasons?: readonly string[]): string {
  if (code === "weak_password") return PASSWORD_PROBLEM_KEYS[problemOfWeakPasswordReasons(reasons)];
  return (code && KNOWN[code]) || "auth:errors.unavailable";
}

/** Supabase Auth error codes the portal explains to people; anything else is "unavailable". */
const KNOWN: Record<string, string> = {
  invalid_credentials: "auth:errors.invalidCredentials",
  over_request_rate_limit: "auth:errors.rateLimited",
  weak_password: "validation:passwordTooShort",
  same_password: "validation:passwordUnchanged",
  user_banned: "auth:errors.banned",
};

export function authErrorKey(code: string | undefined): string {
  return (code && KNOWN[code]) || "auth:errors.unavailable";
}

import type { AppLoadContext } from "@remix-run/node";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import type { JwtClaims } from "~/db/types";
import { authErrorKey } from "./auth-errors";

/** How a session began that proves its holder can read the account's mail (GoTrue's amr methods). */
const EMAIL_LINK_METHODS = new Set(["otp", "invite", "recovery", "magiclink", "email/signup"]);

/** How long after opening an invitation or recovery link a password may be set without the current one. */
export const EMAIL_LINK_GRACE_SECONDS = 60 * 60;

/**
 * Whether the session came from an invitation, recovery or sign-in link opened within the
 * last hour (the access token's amr claim, as Supabase Auth and the embedded Auth set it):
 * only then may a password be set without the current one.
 */
export function cameFromRecentEmailLink(claims: Pick<JwtClaims, "amr">, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  return (claims.amr ?? []).some(
    (entry) =>
      EMAIL_LINK_METHODS.has(entry.method) &&
      nowSeconds - entry.timestamp <= EMAIL_LINK_GRACE_SECONDS &&
      entry.timestamp <= nowSeconds + 60,
  );
}

/**
 * Checks a user's current password by signing in with it on a throwaway client (so failed
 * guesses count towards Auth's throttling, keyed by the person's address), then signs that
 * extra session out again. Null when it is right; otherwise the translation key to show and
 * the status to answer with.
 */
export async function checkCurrentPassword(
  context: AppLoadContext,
  email: string,
  password: string,
): Promise<{ key: string; status: number } | null> {
  const checker = createClient(context.tongke.supabaseUrl, context.tongke.supabaseAnonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    global: { headers: context.tongke.clientIp ? { "x-forwarded-for": context.tongke.clientIp } : {} },
  });
  const check = await checker.auth.signInWithPassword({ email, password });
  if (check.error) {
    const key = check.error.code === "invalid_credentials" ? "profile:wrongCurrentPassword" : authErrorKey(check.error.code);
    return { key, status: check.error.status === 429 ? 429 : 400 };
  }
  await checker.auth.signOut({ scope: "local" });
  return null;
}

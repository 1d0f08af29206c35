import { createServerClient, parseCookieHeader, serializeCookieHeader } from "@supabase/ssr";
import type { AppLoadContext } from "@remix-run/node";
import WebSocket from "ws";
import type { Env } from "~/config.server";
import { SESSION_INACTIVITY_SECONDS } from "./session-lifetime";

/**
 * How long the session cookies live: as long as the embedded Auth keeps an unused session
 * (its refresh token) alive, SESSION_INACTIVITY_SECONDS, and supabase/config.toml's
 * [auth.sessions] inactivity_timeout. Each refresh sets the cookies again, so an active
 * session keeps them; @supabase/ssr's own default is 400 days.
 */
export const SESSION_COOKIE_MAX_AGE_SECONDS = SESSION_INACTIVITY_SECONDS;

/**
 * Session cookies only the server reads (nothing in the browser uses supabase-js), sent with
 * top-level navigations but not cross-site subrequests, and Secure in production unless the
 * portal is explicitly served over plain http (PUBLIC_URL http://…, local test runs).
 */
export function sessionCookieOptions(env: Pick<Env, "NODE_ENV" | "PUBLIC_URL">) {
  const secure = env.NODE_ENV === "production" && !(env.PUBLIC_URL ?? "").startsWith("http:");
  return { path: "/", httpOnly: true, sameSite: "lax" as const, secure };
}

/**
 * A supabase-js client for one request, its session kept in @supabase/ssr's cookies.
 * Cookies it sets (sign-in, refresh, sign-out) collect in `headers` for the response.
 */
export function createSupabaseServerClient(request: Request, context: AppLoadContext) {
  const headers = new Headers();
  const { supabaseUrl, supabaseAnonKey, env, clientIp } = context.tongke;
  const cookieOptions = sessionCookieOptions(env);
  const supabase = createServerClient(supabaseUrl, supabaseAnonKey, {
    cookies: {
      getAll: () => parseCookieHeader(request.headers.get("cookie") ?? "").map(({ name, value }) => ({ name, value: value ?? "" })),
      setAll: (cookies) => {
        for (const { name, value, options } of cookies) {
          // @supabase/ssr always asks for 400 days; removals come with 0.
          const maxAge = options.maxAge === 0 ? 0 : SESSION_COOKIE_MAX_AGE_SECONDS;
          headers.append("set-cookie", serializeCookieHeader(name, value, { ...options, ...cookieOptions, maxAge }));
        }
      },
    },
    cookieOptions,
    // Auth rate-limits failed sign-ins per client address, not per app server.
    global: clientIp ? { headers: { "x-forwarded-for": clientIp } } : undefined,
    auth: { flowType: "pkce", detectSessionInUrl: false },
    // Node 20 has no global WebSocket; the portal does not use Realtime on the server.
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  return { supabase, headers };
}

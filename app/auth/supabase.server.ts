import { createServerClient, parseCookieHeader, serializeCookieHeader } from "@supabase/ssr";
import type { AppLoadContext } from "@remix-run/node";
import WebSocket from "ws";

/**
 * A supabase-js client for one request, its session kept in @supabase/ssr's cookies.
 * Cookies it sets (sign-in, refresh, sign-out) collect in `headers` for the response.
 */
export function createSupabaseServerClient(request: Request, context: AppLoadContext) {
  const headers = new Headers();
  const { supabaseUrl, supabaseAnonKey, env, clientIp } = context.tongke;
  const supabase = createServerClient(supabaseUrl, supabaseAnonKey, {
    cookies: {
      getAll: () =>
        parseCookieHeader(request.headers.get("cookie") ?? "").map(({ name, value }) => ({ name, value: value ?? "" })),
      setAll: (cookies) => {
        for (const { name, value, options } of cookies) {
          headers.append("set-cookie", serializeCookieHeader(name, value, options));
        }
      },
    },
    cookieOptions: { secure: env.NODE_ENV === "production" && (env.PUBLIC_URL ?? "").startsWith("https:") },
    // Auth rate-limits failed sign-ins per client address, not per app server.
    global: clientIp ? { headers: { "x-forwarded-for": clientIp } } : undefined,
    auth: { flowType: "pkce", detectSessionInUrl: false },
    // Node 20 has no global WebSocket; the portal does not use Realtime on the server.
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  return { supabase, headers };
}

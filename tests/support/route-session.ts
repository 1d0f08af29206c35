import type { AppLoadContext } from "@remix-run/node";
import { createServerClient } from "@supabase/ssr";
import bcrypt from "bcryptjs";
import { WebSocket } from "ws";
import { createSessionCheck, databaseSessionLookup } from "../../app/auth/session-check.server";
import { createAccessTokenVerifier } from "../../app/auth/verify.server";
import { parseEnv } from "../../app/config.server";
import type { TongkeContext } from "../../app/context";
import type { DbHandle } from "../../app/db/client.server";

export const PASSWORD = "route tests 同课 password";

/**
 * The Cookie header of a browser that signed in as `user` through the app's @supabase/ssr
 * client, against the embedded Auth API at `authUrl`: what route loaders and actions read.
 */
export async function sessionCookieFor(
  handle: DbHandle,
  auth: { url: string; anonKey: string },
  user: { id: string; email: string },
): Promise<string> {
  await handle.query(`update auth.users set encrypted_password = $2 where id = $1`, [user.id, await bcrypt.hash(PASSWORD, 4)]);
  const jar = new Map<string, string>();
  const supabase = createServerClient(auth.url, auth.anonKey, {
    cookies: {
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      setAll: (cookies) => cookies.forEach(({ name, value }) => (value ? jar.set(name, value) : jar.delete(name))),
    },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const { error } = await supabase.auth.signInWithPassword({ email: user.email, password: PASSWORD });
  if (error) throw error;
  const deadline = Date.now() + 5000;
  while (jar.size === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  if (jar.size === 0) throw new Error("no session cookie was set");
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/**
 * What server.ts hands loaders and actions, for calling routes as Remix calls them: the test
 * database, the embedded Auth at `auth.url` (whose JWT secret verifies the session cookies),
 * environment `env` over the defaults, and whatever else a route needs (`extra`).
 */
export function routeContext(options: {
  handle: DbHandle;
  auth: { url: string; jwtSecret: string; anonKey: string; serviceRoleKey: string };
  env?: Record<string, string>;
  extra?: Partial<TongkeContext>;
}): AppLoadContext {
  const { handle, auth } = options;
  return {
    tongke: {
      env: parseEnv({ NODE_ENV: "test", ...options.env } as NodeJS.ProcessEnv),
      database: Promise.resolve(handle.db),
      supabaseUrl: auth.url,
      supabaseAnonKey: auth.anonKey,
      supabaseServiceRoleKey: auth.serviceRoleKey,
      verifyAccessToken: createAccessTokenVerifier({ jwtSecret: auth.jwtSecret, supabaseUrl: auth.url }),
      sessions: createSessionCheck(
        databaseSessionLookup(async () => handle),
        { ttlMs: 0 },
      ),
      cspNonce: "test",
      clientIp: "",
      lazyChunks: async () => [],
      ...options.extra,
    },
  } as unknown as AppLoadContext;
}

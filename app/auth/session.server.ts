import { redirect, type AppLoadContext } from "@remix-run/node";
import type { JwtClaims } from "~/db/types";
import { createSupabaseServerClient } from "./supabase.server";

export interface SignedIn {
  claims: JwtClaims;
  accessToken: string;
  /** Set-Cookie headers from a refreshed session; loaders pass them on. */
  headers: Headers;
}

/**
 * The signed-in user, or null. The session comes from @supabase/ssr's cookies (refreshed
 * through Supabase Auth when it has expired); its access token is then verified here —
 * signature and expiry — rather than trusted because a cookie holds it.
 */
export function getSignedIn(request: Request, context: AppLoadContext): Promise<SignedIn | null> {
  // Loaders of one request share the answer: a second refresh of the same token would race.
  let pending = perRequest.get(context);
  if (!pending) {
    pending = readSession(request, context);
    perRequest.set(context, pending);
  }
  return pending;
}

const perRequest = new WeakMap<AppLoadContext, Promise<SignedIn | null>>();

async function readSession(request: Request, context: AppLoadContext): Promise<SignedIn | null> {
  const { supabase, headers } = createSupabaseServerClient(request, context);
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token;
  if (!token) return null;
  try {
    const claims = await context.tongke.verifyAccessToken(token);
    return { claims, accessToken: token, headers };
  } catch {
    return null;
  }
}

/** Throws a redirect to the sign-in page, coming back here afterwards. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<SignedIn> {
  const signedIn = await getSignedIn(request, context);
  if (signedIn) return signedIn;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(back === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: back })}`);
}

/** Only same-site paths: an open redirect would let anyone send users elsewhere after sign-in. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

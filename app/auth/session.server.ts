import { redirect, type AppLoadContext } from "@remix-run/node";
import { parseCookieHeader } from "@supabase/ssr";
import type { JwtClaims } from "~/db/types";
import { getFixedT } from "~/i18n/i18next.server";
import { createSupabaseServerClient } from "./supabase.server";

export interface SignedIn {
  claims: JwtClaims;
  accessToken: string;
  /** Set-Cookie headers from a refreshed session; loaders pass them on. */
  headers: Headers;
}

interface SessionRead {
  signedIn: SignedIn | null;
  /** Set-Cookie headers for the answer when nobody is signed in (clearing an ended session's cookies). */
  headers: Headers;
}

/**
 * The signed-in user, or null. The session comes from @supabase/ssr's cookies (refreshed
 * through Supabase Auth when it has expired); its access token is then verified here —
 * signature and expiry — and its session checked against Auth's sessions (cached for at most
 * 30 s), so that a signed-out session, wherever its cookie was copied to, stops working.
 */
export async function getSignedIn(request: Request, context: AppLoadContext): Promise<SignedIn | null> {
  return (await readOnce(request, context)).signedIn;
}

// Loaders of one request share the answer: a second refresh of the same token would race.
function readOnce(request: Request, context: AppLoadContext): Promise<SessionRead> {
  let pending = perRequest.get(context);
  if (!pending) {
    pending = readSession(request, context);
    perRequest.set(context, pending);
  }
  return pending;
}

const perRequest = new WeakMap<AppLoadContext, Promise<SessionRead>>();

async function readSession(request: Request, context: AppLoadContext): Promise<SessionRead> {
  const { supabase, headers } = createSupabaseServerClient(request, context);
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token;
  if (!token) return { signedIn: null, headers };
  let claims: JwtClaims;
  try {
    claims = await context.tongke.verifyAccessToken(token);
  } catch {
    return { signedIn: null, headers };
  }
  if (!(await context.tongke.sessions.isLive(claims, token))) return { signedIn: null, headers: clearedSessionCookies(request) };
  return { signedIn: { claims, accessToken: token, headers }, headers };
}

/** Set-Cookie headers that delete every @supabase/ssr session cookie (and its chunks) the request carried. */
export function clearedSessionCookies(request: Request): Headers {
  const headers = new Headers();
  for (const { name } of parseCookieHeader(request.headers.get("cookie") ?? "")) {
    if (/^sb-.+-auth-token(\.\d+)?$/.test(name)) headers.append("set-cookie", `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
  }
  return headers;
}

/** Throws a redirect to the sign-in page, coming back here afterwards. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<SignedIn> {
  const { signedIn, headers } = await readOnce(request, context);
  if (signedIn) return signedIn;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(back === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: back })}`, { headers });
}

/**
 * For the JSON API routes: the signed-in user, or a thrown 401 whose body is the shape every
 * API refusal has, `{ error }` with the message in the reader's language (never cached; an
 * ended session's cookies cleared).
 */
export async function requireApiUser(request: Request, context: AppLoadContext): Promise<SignedIn> {
  const { signedIn, headers } = await readOnce(request, context);
  if (signedIn) return signedIn;
  const t = await getFixedT(request, "errors");
  const answer = new Headers(headers);
  answer.set("Cache-Control", "no-store");
  throw Response.json({ error: t("errors:signInRequired") }, { status: 401, headers: answer });
}

/** Only same-site paths: an open redirect would let anyone send users elsewhere after sign-in. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

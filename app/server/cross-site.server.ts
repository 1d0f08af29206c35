import type { IncomingHttpHeaders } from "node:http";
import type { Request, RequestHandler } from "express";
import { sendRefusal } from "./refusal.server";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests that a browser sent from another site (CSRF): the
 * session cookie is SameSite=Lax, which still lets a foreign page POST a text/plain "JSON"
 * body or a form to us in some cases (top-level navigations, older browsers, same-site
 * subdomains). A write is allowed when its Origin is this server's own origin (as the
 * request reached it) or PUBLIC_URL's; without an Origin — curl, server-to-server calls
 * such as LiveKit's webhook — unless Sec-Fetch-Site says the browser sent it cross-site.
 */
export function refuseCrossSiteWrites({ publicUrl }: { publicUrl?: string }): RequestHandler {
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : undefined;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || isSameSiteWrite(req, publicOrigin)) return next();
    void sendRefusal(req, res, { status: 403, error: "cross_site_request", key: "crossSiteRequest", json: true }).catch(next);
  };
}

export function isSameSiteWrite(req: Pick<Request, "headers" | "protocol">, publicOrigin: string | undefined): boolean {
  const origin = req.headers.origin?.toLowerCase();
  if (origin === undefined) return req.headers["sec-fetch-site"] !== "cross-site";
  // "null" (sandboxed frames, data: pages, some redirects) is never ours.
  const own = req.headers.host ? `${req.protocol}://${req.headers.host}`.toLowerCase() : undefined;
  return origin === publicOrigin || origin === own;
}

/**
 * The same rule for a WebSocket upgrade (/collab), which a foreign page may open with the
 * reader's cookies: its Origin must be PUBLIC_URL's or name the host it reached (the scheme may
 * differ behind a TLS proxy); without an Origin (programs, not browsers) it is allowed.
 */
export function isSameSiteUpgrade(headers: IncomingHttpHeaders, publicOrigin: string | undefined): boolean {
  const origin = headers.origin?.toLowerCase();
  if (origin === undefined) return headers["sec-fetch-site"] !== "cross-site";
  if (origin === publicOrigin) return true;
  try {
    return new URL(origin).host === headers.host?.toLowerCase();
  } catch {
    return false;
  }
}

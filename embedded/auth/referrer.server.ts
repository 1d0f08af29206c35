import { isIP } from "node:net";
import type { Request } from "express";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

function isLoopback(hostname: string): boolean {
  if (LOOPBACK_NAMES.has(hostname)) return true;
  const bare = hostname.replace(/^\[|\]$/g, "");
  const version = isIP(bare);
  return (version === 4 && bare.startsWith("127.")) || (version === 6 && bare === "::1");
}

/**
 * GoTrue's IsRedirectURLValid without an allow list (none is configured for this project):
 * back to the site itself — same scheme and host, and same port unless the host is a
 * loopback one — or to a loopback address. Control characters and spaces are refused.
 */
export function isRedirectUrlValid(siteUrl: string, candidate: string): boolean {
  if (candidate === "" || [...candidate].some((c) => c <= "\x20" || c === "\x7f")) return false;
  let base: URL;
  let target: URL;
  try {
    base = new URL(siteUrl);
    target = new URL(candidate);
  } catch {
    return false;
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return false;
  if (target.hostname === base.hostname && target.protocol === base.protocol) {
    if (target.port === base.port || isLoopback(target.hostname)) return true;
  }
  return isIP(target.hostname.replace(/^\[|\]$/g, "")) !== 0 && isLoopback(target.hostname);
}

/**
 * GoTrue's GetReferrer: the `redirect_to` header or query parameter if it is a valid
 * redirect, else the Referer header if that is one, else the site URL.
 */
export function referrer(req: Request, siteUrl: string): string {
  const query = typeof req.query.redirect_to === "string" ? req.query.redirect_to : "";
  const asked = req.get("redirect_to") || query;
  if (isRedirectUrlValid(siteUrl, asked)) return asked;
  const referer = req.get("referer") ?? "";
  if (isRedirectUrlValid(siteUrl, referer)) return referer;
  return siteUrl;
}

import type { Request, Response } from "express";
import { getLocale, i18nServer } from "~/i18n/i18next.server";

export interface Refusal {
  status: number;
  /** A stable code for programs: `payload_too_large`, `cross_site_request`. */
  error: string;
  /** The message's key in the `errors` namespace, and its values. */
  key: string;
  values?: Record<string, string>;
  /** Answer JSON whatever the request accepts. */
  json?: boolean;
}

/**
 * Answers a request the Express layer refuses before Remix sees it, in the reader's
 * language: JSON for API callers, else a minimal page.
 */
export async function sendRefusal(req: Request, res: Response, refusal: Refusal) {
  const request = new globalThis.Request(`http://local${req.url}`, {
    headers: { cookie: req.headers.cookie ?? "", "accept-language": req.headers["accept-language"] ?? "" },
  });
  const t = await i18nServer.getFixedT(await getLocale(request), "errors");
  const message = t(refusal.key, refusal.values ?? {});
  res.status(refusal.status);
  if (refusal.json || req.accepts(["html", "json"]) === "json") res.json({ error: refusal.error, message });
  else res.type("html").send(`<!doctype html><meta charset="utf-8"><title>${refusal.status}</title><p>${escapeHtml(message)}</p>`);
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

import type { Request, Response } from "express";
import { getLocale, i18nServer } from "~/i18n/i18next.server";
import { escapeHtml } from "~/lib/html";

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
 * A refusal in the reader's language (their language cookie, else Accept-Language): JSON
 * `{ error, message }` when `refusal.json`, else a minimal page. Both the Express layer
 * (`sendRefusal`) and the app's routes (`~/components/refusal.server`) answer with it.
 */
export async function refusalResponse(request: globalThis.Request, refusal: Refusal, headers?: HeadersInit): Promise<globalThis.Response> {
  const t = await i18nServer.getFixedT(await getLocale(request), "errors");
  const message = t(refusal.key, refusal.values ?? {});
  const answer = new Headers(headers);
  answer.delete("content-length");
  if (refusal.json) {
    answer.set("content-type", "application/json; charset=utf-8");
    return new Response(JSON.stringify({ error: refusal.error, message }), { status: refusal.status, headers: answer });
  }
  answer.set("content-type", "text/html; charset=utf-8");
  const page = `<!doctype html><meta charset="utf-8"><title>${refusal.status}</title><p>${escapeHtml(message)}</p>`;
  return new Response(page, { status: refusal.status, headers: answer });
}

/** Answers a request the Express layer refuses before Remix sees it: JSON for API callers, else a page. */
export async function sendRefusal(req: Request, res: Response, refusal: Refusal) {
  const request = new globalThis.Request(`http://local${req.url}`, {
    headers: { cookie: req.headers.cookie ?? "", "accept-language": req.headers["accept-language"] ?? "" },
  });
  const json = refusal.json || req.accepts(["html", "json"]) === "json";
  const answer = await refusalResponse(request, { ...refusal, json });
  res
    .status(answer.status)
    .type(answer.headers.get("content-type")!)
    .send(await answer.text());
}

import type { RequestHandler } from "express";
import { getLocale, i18nServer } from "~/i18n/i18next.server";

/**
 * Refuses request bodies declared over the limit before Remix reads them, with a
 * translated page (or JSON for API callers).
 */
export function rejectOversizedBodies({ maxBytes }: { maxBytes: number }): RequestHandler {
  return async (req, res, next) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared <= maxBytes) return next();
    const request = new Request(`http://local${req.url}`, {
      headers: { cookie: req.headers.cookie ?? "", "accept-language": req.headers["accept-language"] ?? "" },
    });
    const t = await i18nServer.getFixedT(await getLocale(request), "errors");
    const message = t("payloadTooLarge", { size: `${Math.round(maxBytes / 1024)} KB` });
    res.status(413).set("connection", "close");
    if (req.accepts(["html", "json"]) === "json") res.json({ error: "payload_too_large", message });
    else res.type("html").send(`<!doctype html><meta charset="utf-8"><title>413</title><p>${escapeHtml(message)}</p>`);
  };
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

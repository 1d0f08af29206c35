import type { RequestHandler } from "express";
import { getLocale, i18nServer } from "~/i18n/i18next.server";
import { LESSON_PLAN_IMAGE_ENVELOPE_BYTES, LESSON_PLAN_IMAGE_MAX_BYTES } from "~/storage/lesson-plan-images";

export interface LargerBodyRoute {
  method: string;
  path: RegExp;
  maxBytes: number;
}

/** The routes that take more than the default, each with its own limit. */
export const LARGER_BODY_ROUTES: readonly LargerBodyRoute[] = [
  {
    // Image uploads into lesson plans (the action also caps the file part itself).
    method: "POST",
    path: /^\/lesson-plans\/[^/]+\/images(\.data)?\/?$/,
    maxBytes: LESSON_PLAN_IMAGE_MAX_BYTES + LESSON_PLAN_IMAGE_ENVELOPE_BYTES,
  },
];

/**
 * Refuses request bodies declared over the limit before Remix reads them, with a
 * translated page (or JSON for API callers).
 */
export function rejectOversizedBodies({
  maxBytes,
  routes = LARGER_BODY_ROUTES,
}: {
  maxBytes: number;
  routes?: readonly LargerBodyRoute[];
}): RequestHandler {
  return async (req, res, next) => {
    const limit = routes.find((r) => r.method === req.method && r.path.test(req.path))?.maxBytes ?? maxBytes;
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared <= limit) return next();
    const request = new Request(`http://local${req.url}`, {
      headers: { cookie: req.headers.cookie ?? "", "accept-language": req.headers["accept-language"] ?? "" },
    });
    const t = await i18nServer.getFixedT(await getLocale(request), "errors");
    const message = t("payloadTooLarge", { size: `${Math.round(limit / 1024)} KB` });
    res.status(413).set("connection", "close");
    if (req.accepts(["html", "json"]) === "json") res.json({ error: "payload_too_large", message });
    else res.type("html").send(`<!doctype html><meta charset="utf-8"><title>413</title><p>${escapeHtml(message)}</p>`);
  };
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

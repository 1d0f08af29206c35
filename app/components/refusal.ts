/** The `errors` namespace's message for a refusal's status (root.tsx's error page, resource routes' bodies). */
const ERROR_KEYS: Record<number, RefusalKey> = {
  400: "badRequest",
  401: "forbidden",
  403: "forbidden",
  404: "notFound",
  405: "methodNotAllowed",
  413: "badRequest",
  415: "unsupportedMediaType",
};

export type RefusalKey = "badRequest" | "forbidden" | "notFound" | "methodNotAllowed" | "unsupportedMediaType" | "unexpected";

export function refusalKeyFor(status: number): RefusalKey {
  return ERROR_KEYS[status] ?? (status < 500 ? "badRequest" : "unexpected");
}

/** What programs read in a refusal's JSON `error`, as the Express layer's codes are spelled. */
export const REFUSAL_CODES: Record<RefusalKey, string> = {
  badRequest: "bad_request",
  forbidden: "forbidden",
  notFound: "not_found",
  methodNotAllowed: "method_not_allowed",
  unsupportedMediaType: "unsupported_media_type",
  unexpected: "unexpected_failure",
};

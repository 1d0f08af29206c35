/**
 * The SQLSTATEs the live-session functions of supabase/migrations/20261130000100_live_sessions.sql
 * raise, and what users read for each. TK423 (a clash) carries the booking it clashes with.
 */
const TRANSLATION_KEYS: Record<string, string> = {
  TK422: "live:errors.illegalState",
  TK423: "live:errors.clash",
  TK425: "live:errors.invalidInput",
  "42501": "live:errors.notAllowed",
  "23514": "live:errors.invalidInput",
};

export function liveErrorKey(code: string | undefined): string | undefined {
  return code !== undefined && Object.hasOwn(TRANSLATION_KEYS, code) ? TRANSLATION_KEYS[code] : undefined;
}

/** The booking a TK423 names in its detail. */
export interface Clash {
  kind: "classroom" | "teacher";
  name: string | null;
  sessionStartsAt: Date;
  sessionEndsAt: Date;
}

export function parseClash(detail: string | undefined): Clash | null {
  if (!detail) return null;
  try {
    const raw = JSON.parse(detail) as Record<string, unknown>;
    if (raw.kind !== "classroom" && raw.kind !== "teacher") return null;
    return {
      kind: raw.kind,
      name: typeof raw.name === "string" ? raw.name : null,
      sessionStartsAt: new Date(String(raw.session_starts_at)),
      sessionEndsAt: new Date(String(raw.session_ends_at)),
    };
  } catch {
    return null;
  }
}

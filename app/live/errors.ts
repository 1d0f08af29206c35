/** The booking a clash (TK426, see app/db/refusals.ts) names in its detail. */
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

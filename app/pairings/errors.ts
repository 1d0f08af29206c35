/**
 * The SQLSTATEs the pairing functions of supabase/migrations/20261129000100_pairings.sql
 * raise, by name (tests refer to them so). What each means across the schema, and what people
 * read for it, is in app/db/refusals.ts; messages from the database are English, for logs.
 */
export const PAIRING_ERROR_CODES = {
  /** Someone else changed the pairing first (stale expected_version). */
  staleVersion: "TK409",
  /** The action is not possible in the pairing's current state (or the pairing is terminal). */
  illegalTransition: "TK422",
  /** The two schools are in the same region. */
  sameRegion: "TK423",
  /** Declining, pausing and ending need a reason. */
  reasonRequired: "TK424",
  /** Unknown action or subject, malformed term, negative count, text too long. */
  invalidInput: "TK425",
  /** The activity log is append-only (only system work can even try). */
  appendOnly: "TK405",
  /** The caller may not do this (or the pairing does not exist for them). */
  notAllowed: "42501",
  /** A unique violation; from the pairing functions, only OPEN_PAIRING_UNIQUE_INDEX. */
  duplicate: "23505",
} as const;

/** The partial unique index allowing one open (requested/proposed/active/paused) pairing per pair of schools. */
export const OPEN_PAIRING_UNIQUE_INDEX = "pairings_open_school_pair_unique";

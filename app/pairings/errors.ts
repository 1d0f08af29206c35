/**
 * The SQLSTATEs the pairing functions of supabase/migrations/20261129000100_pairings.sql
 * raise, named once for the server and the UI. Messages from the database are English
 * for logs; users see the translation of the code.
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

export type PairingErrorCode = (typeof PAIRING_ERROR_CODES)[keyof typeof PAIRING_ERROR_CODES];

/** The partial unique index allowing one open (requested/proposed/active/paused) pairing per pair of schools. */
export const OPEN_PAIRING_UNIQUE_INDEX = "pairings_open_school_pair_unique";

const TRANSLATION_KEYS: Record<PairingErrorCode, string> = {
  TK409: "pairings:errors.conflict",
  TK422: "pairings:errors.illegalTransition",
  TK423: "pairings:errors.sameRegion",
  TK424: "pairings:errors.reasonRequired",
  TK425: "pairings:errors.invalidInput",
  TK405: "pairings:errors.readOnly",
  "42501": "pairings:errors.notAllowed",
  "23505": "pairings:errors.alreadyPaired",
};

const isPairingErrorCode = (code: string): code is PairingErrorCode => Object.hasOwn(TRANSLATION_KEYS, code);

/** The translation key for a SQLSTATE raised by a pairing function; undefined for anything else (an unexpected error). */
export function pairingErrorKey(code: string | undefined): string | undefined {
  return code !== undefined && isPairingErrorCode(code) ? TRANSLATION_KEYS[code] : undefined;
}

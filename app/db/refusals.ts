import { findPgError, type PgErrorFields } from "./pg-error";

/**
 * Every SQLSTATE the schema raises for a reason a person can act on, with one meaning each
 * across the whole schema (a clash had TK423, which also meant "same region", until
 * 20261207800100_clash_has_its_own_code.sql). A test keeps this list equal to the codes the
 * database's functions raise. The HTTP status is what an API answers for it.
 */
export const REFUSALS = {
  /** An append-only log (activity) refuses a change. */
  TK405: { reason: "readOnly", status: 403 },
  /** Someone else changed the row first (a stale expected version). */
  TK409: { reason: "conflict", status: 409 },
  /** Not possible in the row's current state (a pairing's, a plan's, a class's). */
  TK422: { reason: "illegalState", status: 409 },
  /** The two schools of a pairing are in the same region. */
  TK423: { reason: "sameRegion", status: 422 },
  /** Declining, pausing, ending or cancelling needs a reason. */
  TK424: { reason: "reasonRequired", status: 422 },
  /** Input the function does not accept (unknown value, malformed term, too long…). */
  TK425: { reason: "invalidInput", status: 422 },
  /** A classroom or teacher is already booked then; the detail names the booking (see parseClash). */
  TK426: { reason: "clash", status: 409 },
  /** The caller may not do this (or the row does not exist for them). */
  "42501": { reason: "notAllowed", status: 403 },
  /** A foreign key: what it refers to is not there (or not visible to the caller). */
  "23503": { reason: "missing", status: 404 },
  /** A unique violation: it already exists. */
  "23505": { reason: "duplicate", status: 409 },
  /** A check constraint: input the table does not accept. */
  "23514": { reason: "invalidInput", status: 422 },
} as const satisfies Record<string, { reason: string; status: number }>;

export type RefusalCode = keyof typeof REFUSALS;
export type RefusalReason = (typeof REFUSALS)[RefusalCode]["reason"];

/** How each part of the portal words the refusals its functions can give. */
const WORDS = {
  pairings: {
    conflict: "pairings:errors.conflict",
    illegalState: "pairings:errors.illegalTransition",
    sameRegion: "pairings:errors.sameRegion",
    reasonRequired: "pairings:errors.reasonRequired",
    invalidInput: "pairings:errors.invalidInput",
    readOnly: "pairings:errors.readOnly",
    notAllowed: "pairings:errors.notAllowed",
    duplicate: "pairings:errors.alreadyPaired",
  },
  live: {
    illegalState: "live:errors.illegalState",
    clash: "live:errors.clash",
    invalidInput: "live:errors.invalidInput",
    notAllowed: "live:errors.notAllowed",
  },
  lessonPlans: {
    conflict: "lessonPlans:errors.conflict",
    illegalState: "lessonPlans:errors.illegalState",
    invalidInput: "lessonPlans:errors.invalidInput",
    notAllowed: "lessonPlans:errors.notAllowed",
  },
  /** A class's chat (api.live-sessions.$sessionId.chat). */
  chat: {
    notAllowed: "live:errors.chatNotAllowed",
    missing: "live:errors.chatNotAllowed",
    invalidInput: "validation:tooLong",
  },
  /** Plain table writes (schools, classrooms, invitations): each form names its own duplicate. */
  forms: {
    notAllowed: "errors:forbidden.body",
  },
} as const satisfies Record<string, Partial<Record<RefusalReason, string>>>;

export type RefusalDomain = keyof typeof WORDS;

export interface Refusal {
  code: RefusalCode;
  reason: RefusalReason;
  status: number;
  /** The translation key people read. */
  key: string;
  /** The error as the database gave it (its detail, for a clash). */
  pg: PgErrorFields;
}

const isRefusalCode = (code: string): code is RefusalCode => Object.hasOwn(REFUSALS, code);

type Words = Partial<Record<RefusalReason, string>>;

/** The translation key `domain` gives a SQLSTATE (with `words` over its own); undefined for any other code. */
export function refusalKeyOf(code: string | undefined, domain: RefusalDomain, words: Words = {}): string | undefined {
  if (code === undefined || !isRefusalCode(code)) return undefined;
  const { reason } = REFUSALS[code];
  return words[reason] ?? (WORDS[domain] as Words)[reason];
}

/**
 * The refusal a database error stands for, in the words of `domain` (and `words`, for what a
 * form says in its own words, such as its duplicate); null when the error is not one a person
 * can act on there — a bug or an outage, to be thrown and logged.
 */
export function refusalOf(error: unknown, domain: RefusalDomain, words: Words = {}): Refusal | null {
  const pg = findPgError(error);
  const key = refusalKeyOf(pg?.code, domain, words);
  if (!pg || !key) return null;
  const code = pg.code as RefusalCode;
  return { code, reason: REFUSALS[code].reason, status: REFUSALS[code].status, key, pg };
}

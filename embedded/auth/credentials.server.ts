/** Password policy and hashing (bcrypt, cost 10, as GoTrue) and email address checks. */
import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { GOTRUE_WEAK_PASSWORD_REASONS, PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH, passwordProblems } from "~/auth/password-policy";
import { badRequest, weakPassword } from "./errors.server";

export { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from "~/auth/password-policy";
const BCRYPT_COST = 10;

/**
 * GoTrue's checkPasswordStrength with the portal's policy (app/auth/password-policy.ts):
 * 422 weak_password with GoTrue's reasons (length, characters, pwned). `email` is the
 * account's address, whose own name is not a password either.
 */
export function checkPasswordStrength(password: string, email?: string | null): void {
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) {
    throw badRequest("validation_failed", `Password cannot be longer than ${PASSWORD_MAX_BYTES} characters`);
  }
  const weak = weakPasswordOf(password, email);
  if (weak) throw weakPassword(weak.message, weak.reasons);
}

const WEAK_MESSAGES = {
  length: `Password should be at least ${PASSWORD_MIN_LENGTH} characters.`,
  characters: "Password should contain only visible characters and not only spaces.",
  pwned: "Password is known to be weak and easy to guess, please choose a different one.",
} as const;

/** GoTrue's WeakPasswordError for a password (the sign-in answer carries it too), or null. */
export function weakPasswordOf(password: string, email?: string | null): { message: string; reasons: string[] } | null {
  const reasons = passwordProblems(password, { email }).flatMap((problem) => {
    const reason = GOTRUE_WEAK_PASSWORD_REASONS[problem];
    return reason ? [reason] : [];
  });
  if (reasons.length === 0) return null;
  return { message: reasons.map((reason) => WEAK_MESSAGES[reason]).join(" "), reasons };
}

export const hashPassword = (password: string) => bcrypt.hash(password, BCRYPT_COST);

export const isBcryptHash = (value: string) => /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/.test(value);

/**
 * Compares a password with a stored hash. Users without a usable hash (unknown email, no
 * password set) are compared against a dummy hash of the same cost, so that every failed
 * sign-in takes about as long as a wrong password for a real account.
 */
export function createPasswordVerifier() {
  const dummy = bcrypt.hashSync(randomUUID(), BCRYPT_COST);
  return async (password: string, hash: string | null | undefined): Promise<boolean> => {
    const usable = typeof hash === "string" && isBcryptHash(hash);
    const matches = await bcrypt.compare(password, usable ? hash : dummy);
    return usable && matches && Buffer.byteLength(password, "utf8") <= PASSWORD_MAX_BYTES;
  };
}

/** GoTrue lowercases and format-checks addresses (validateEmail). */
export function normaliseEmail(email: string): string | null {
  const trimmed = email.trim().toLowerCase();
  if (trimmed.length === 0 || trimmed.length > 255) return null;
  return /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:]+$/.test(trimmed) ? trimmed : null;
}

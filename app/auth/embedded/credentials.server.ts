/** Password policy and hashing (bcrypt, cost 10, as GoTrue) and email address checks. */
import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { badRequest, weakPassword } from "./errors.server";

export const PASSWORD_MIN_LENGTH = 6;
/** bcrypt only reads 72 bytes; GoTrue refuses longer passwords rather than truncating them. */
export const PASSWORD_MAX_BYTES = 72;
const BCRYPT_COST = 10;

/** GoTrue's checkPasswordStrength with the default configuration (length only). */
export function checkPasswordStrength(password: string): void {
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) {
    throw badRequest("validation_failed", `Password cannot be longer than ${PASSWORD_MAX_BYTES} characters`);
  }
  if ([...password].length < PASSWORD_MIN_LENGTH) throw weakPassword(PASSWORD_MIN_LENGTH);
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

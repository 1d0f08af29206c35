/**
 * Storage's isValidKey and isValidBucketName (src/storage/limits.ts): S3-safe characters
 * only. On top of them, because the embedded server keeps objects as files: no empty,
 * "." or ".." segment, so a key always names a file inside its bucket's folder.
 */
const KEY = /^(\w|\/|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$/;
const BUCKET = /^(\w|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$/;

/** S3's limit on a key, in bytes. */
const MAX_KEY_BYTES = 1024;

export function isValidObjectKey(key: string): boolean {
  if (key.length === 0 || !KEY.test(key) || new TextEncoder().encode(key).length > MAX_KEY_BYTES) return false;
  return key.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

export function isValidBucketName(name: string): boolean {
  return name.length > 0 && name.length <= 100 && BUCKET.test(name) && name !== "." && name !== "..";
}

import type { Response } from "express";
import { findPgError } from "~/db/pg-error";

/** Supabase Storage's error codes (src/internal/errors/codes.ts), those the embedded server answers with. */
export type StorageErrorCode =
  | "AccessDenied"
  | "EntityTooLarge"
  | "InternalError"
  | "InvalidBucketName"
  | "InvalidKey"
  | "InvalidMimeType"
  | "InvalidRequest"
  | "KeyAlreadyExists"
  | "NoSuchBucket"
  | "NoSuchKey";

/**
 * An answer in Supabase Storage's format. As Storage does, the HTTP status is 400 for
 * every refusal and 500 for failures; the body's `statusCode` carries the precise one
 * (storage-js reads it from there).
 */
export class StorageHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: StorageErrorCode,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = "StorageHttpError";
  }

  get httpStatus() {
    return this.statusCode >= 500 ? 500 : 400;
  }

  render() {
    return { statusCode: String(this.statusCode), code: this.code, error: this.error, message: this.message };
  }
}

export const storageErrors = {
  accessDenied: (message: string) => new StorageHttpError(403, "AccessDenied", "Unauthorized", message),
  rowLevelSecurity: () => new StorageHttpError(403, "AccessDenied", "Unauthorized", "new row violates row-level security policy"),
  noSuchBucket: () => new StorageHttpError(404, "NoSuchBucket", "Bucket not found", "Bucket not found"),
  noSuchKey: () => new StorageHttpError(404, "NoSuchKey", "not_found", "Object not found"),
  invalidKey: (key: string) => new StorageHttpError(400, "InvalidKey", "InvalidKey", `Invalid key: ${key}`),
  invalidBucketName: () => new StorageHttpError(400, "InvalidBucketName", "Invalid Input", "Bucket name invalid"),
  keyAlreadyExists: () => new StorageHttpError(409, "KeyAlreadyExists", "Duplicate", "The resource already exists"),
  entityTooLarge: () => new StorageHttpError(413, "EntityTooLarge", "Payload too large", "The object exceeded the maximum allowed size"),
  invalidMimeType: (mimeType: string) =>
    new StorageHttpError(415, "InvalidMimeType", "invalid_mime_type", `mime type ${mimeType} is not supported`),
  /** Not in Supabase (it trusts the declared type): the content is not what the type says. */
  contentMismatch: (mimeType: string) =>
    new StorageHttpError(415, "InvalidMimeType", "invalid_mime_type", `mime type ${mimeType} does not match the file's content`),
  noContent: () => new StorageHttpError(400, "InvalidRequest", "InvalidRequest", "No content provided"),
  internal: () => new StorageHttpError(500, "InternalError", "Internal", "Internal server error"),
};

/** What Storage's DBError.fromDBError makes of the errors a user's insert can meet; others stay as they are. */
export function fromDatabaseError(error: unknown): unknown {
  const pg = findPgError(error);
  if (pg?.code === "42501") {
    return pg.message.includes("row-level security") ? storageErrors.rowLevelSecurity() : storageErrors.accessDenied(pg.message);
  }
  if (pg?.code === "23505") return storageErrors.keyAlreadyExists();
  if (pg?.code === "23503") return storageErrors.noSuchBucket();
  return error;
}

export function sendStorageError(res: Response, error: StorageHttpError) {
  res.status(error.httpStatus).json(error.render());
}

/** Fastify's answer for a route it does not have, as Storage (a Fastify app) gives it. */
export function sendRouteNotFound(res: Response, method: string, url: string) {
  res.status(404).json({ statusCode: 404, error: "Not Found", message: `Route ${method}:${url} not found` });
}

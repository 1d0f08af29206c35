import type { Request } from "express";
import type { z } from "zod";
import { AuthHttpError, badRequest } from "./errors.server";

/** GoTrue-sized request bodies: nothing the Auth API takes comes near this. */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = () => new AuthHttpError(413, "validation_failed", `Request body is larger than ${MAX_BODY_BYTES} bytes`);

/** Reads the raw body (up to MAX_BODY_BYTES) without any global body parser. */
export async function readRawBody(req: Request): Promise<Buffer> {
  const declared = Number(req.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses a raw body as GoTrue's retrieveRequestParams does: JSON objects only (an empty body
 * is `{}`), plus URL-encoded forms where `allowForm` (the OAuth-style token endpoint).
 */
export function parseBody(raw: Buffer, contentType: string | undefined, allowForm = false): Record<string, unknown> {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  const text = raw.toString("utf8");
  if (text.trim() === "") return {};
  if (allowForm && type === "application/x-www-form-urlencoded") {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new AuthHttpError(
      415,
      "validation_failed",
      allowForm ? "Content-Type must be application/json or application/x-www-form-urlencoded" : "Content-Type must be application/json",
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest("bad_json", `Could not parse request body as JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("bad_json", "Could not parse request body as JSON: expected a JSON object");
  }
  return value as Record<string, unknown>;
}

/**
 * Reads and parses the request body (see parseBody). Should an app-wide body parser have
 * consumed the stream already, its result is used instead of hanging on an empty stream.
 */
export async function readBody(req: Request, options: { allowForm?: boolean } = {}): Promise<Record<string, unknown>> {
  const consumed = req.readableEnded || (req as Request & { _body?: boolean })._body === true;
  if (consumed && req.body !== undefined) {
    const body: unknown = req.body;
    if (Buffer.isBuffer(body) || typeof body === "string") return parseBody(Buffer.from(body), req.get("content-type"), options.allowForm);
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
    throw badRequest("bad_json", "Could not parse request body as JSON: expected a JSON object");
  }
  return parseBody(await readRawBody(req), req.get("content-type"), options.allowForm);
}

/** Checks field types; a wrong type is bad JSON to GoTrue (its decoder fails on it). */
export function validateParams<S extends z.ZodTypeAny>(body: Record<string, unknown>, schema: S): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join(".") || "body";
    throw badRequest("bad_json", `Could not parse request body as JSON: ${field}: ${issue.message}`);
  }
  return result.data;
}

export async function readParams<S extends z.ZodTypeAny>(req: Request, schema: S): Promise<z.infer<S>> {
  return validateParams(await readBody(req), schema);
}

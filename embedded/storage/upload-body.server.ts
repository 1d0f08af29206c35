import type { Request } from "express";
import { looksLikeMarkup, sniffMimeType, SNIFFABLE_TYPES } from "~/storage/sniff";
import { storageErrors } from "./errors.server";

export interface IncomingFile {
  bytes: Buffer;
  /** As declared: the file part's Content-Type (or a `contentType` field), else the request's. */
  mimeType: string;
  cacheControl: string;
}

/** Room for the multipart boundaries, part headers and the cacheControl/metadata fields. */
const MULTIPART_ENVELOPE_BYTES = 64 * 1024;

/**
 * The uploaded file as storage-js sends it: a multipart form (a Blob or File: the file in
 * the first file part, `cacheControl` beside it) or the raw body (a Buffer, ArrayBuffer or
 * string: Content-Type and Cache-Control headers). Nothing past `limit` bytes is kept.
 */
export async function readIncomingFile(req: Request, limit: number): Promise<IncomingFile> {
  const contentType = req.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    const bytes = await readCapped(req, limit);
    return {
      bytes,
      mimeType: contentType || "application/octet-stream",
      cacheControl: req.get("cache-control") ?? "no-cache",
    };
  }

  const raw = await readCapped(req, limit + MULTIPART_ENVELOPE_BYTES);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.length), {
      headers: { "content-type": contentType },
    }).formData();
  } catch {
    throw storageErrors.noContent();
  }
  const file = [...form.values()].find((value): value is File => typeof value !== "string");
  if (!file) throw storageErrors.noContent();
  if (file.size > limit) throw storageErrors.entityTooLarge();
  const declared = form.get("contentType");
  const cacheTime = form.get("cacheControl");
  return {
    bytes: Buffer.from(await file.arrayBuffer()),
    mimeType: (typeof declared === "string" && declared) || file.type || "application/octet-stream",
    cacheControl: typeof cacheTime === "string" && cacheTime ? `max-age=${cacheTime}` : "no-cache",
  };
}

/**
 * Storage's validateMimeType (the declared type against the bucket's allowed types, with
 * `type/*` wildcards), and then — what Storage does not do — the content itself: a format
 * we can recognise must be the declared one, and markup passes only as a markup type.
 */
export function checkMimeType(file: IncomingFile, allowed: string[] | null): void {
  if (!allowed) return;
  const declared = file.mimeType.split(";")[0].trim().toLowerCase();
  const [type, subtype] = declared.split("/");
  if (!type || !subtype) throw storageErrors.invalidMimeType(file.mimeType);
  const permitted = allowed.some((entry) => {
    const [allowedType, allowedSubtype] = entry.toLowerCase().split("/");
    return allowedType === type && (allowedSubtype === "*" || allowedSubtype === subtype);
  });
  if (!permitted) throw storageErrors.invalidMimeType(file.mimeType);

  const sniffed = sniffMimeType(file.bytes);
  if (SNIFFABLE_TYPES.includes(declared) ? sniffed !== declared : sniffed !== null) {
    throw storageErrors.contentMismatch(file.mimeType);
  }
  const markupType = type === "text" || declared.endsWith("+xml") || declared.endsWith("/xml");
  if (!markupType && looksLikeMarkup(file.bytes)) throw storageErrors.contentMismatch(file.mimeType);
}

/** The body up to `limit` bytes; beyond it, EntityTooLarge while the rest is read and dropped. */
function readCapped(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.get("content-length") ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(storageErrors.entityTooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    // Not `for await`: leaving that loop early destroys the socket before the answer is sent.
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(storageErrors.entityTooLarge());
      } else {
        chunks.push(chunk);
      }
    });
    req.on("end", () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

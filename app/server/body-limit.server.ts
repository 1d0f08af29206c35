import { Readable } from "node:stream";
import type { Request, RequestHandler } from "express";
import { LESSON_PLAN_IMAGE_ENVELOPE_BYTES, LESSON_PLAN_IMAGE_MAX_BYTES } from "~/storage/lesson-plan-images";
import { sendRefusal } from "./refusal.server";

export interface LargerBodyRoute {
  method: string;
  path: RegExp;
  maxBytes: number;
}

/** The routes that take more than the default, each with its own limit. */
export const LARGER_BODY_ROUTES: readonly LargerBodyRoute[] = [
  {
    // Image uploads into lesson plans (the action also caps the file part itself).
    method: "POST",
    path: /^\/lesson-plans\/[^/]+\/images(\.data)?\/?$/,
    maxBytes: LESSON_PLAN_IMAGE_MAX_BYTES + LESSON_PLAN_IMAGE_ENVELOPE_BYTES,
  },
];

const readBody = Symbol("tongke.readBody");
type WithReadBody = Request & { [readBody]?: Buffer[] };

/**
 * Holds request bodies to the limit before Remix reads them, with a translated 413 (JSON for
 * API callers). A declared Content-Length over the limit is refused before a byte is read
 * (Node's parser never delivers more than the length declared). A chunked body declares
 * nothing: it is read here, counting bytes as they arrive, and refused the moment it passes
 * the limit — so at most the limit is ever held — then handed on (see `requestForRemix`).
 */
export function rejectOversizedBodies({
  maxBytes,
  routes = LARGER_BODY_ROUTES,
}: {
  maxBytes: number;
  routes?: readonly LargerBodyRoute[];
}): RequestHandler {
  return (req, res, next) => {
    const limit = routes.find((r) => r.method === req.method && r.path.test(req.path))?.maxBytes ?? maxBytes;
    const refuse = () => {
      // The rest of the body is never read: the connection closes after the answer.
      res.set("connection", "close");
      void sendRefusal(req, res, {
        status: 413,
        error: "payload_too_large",
        key: "payloadTooLarge",
        values: { size: `${Math.round(limit / 1024)} KB` },
      }).catch(next);
    };
    if (req.headers["content-length"] !== undefined) return Number(req.headers["content-length"]) <= limit ? next() : refuse();
    if (req.headers["transfer-encoding"] === undefined) return next();
    readUpTo(req, limit).then((read) => {
      if (read === "too_large") return refuse();
      // A client that went away mid-body gets no answer.
      if (read === "aborted") return;
      (req as WithReadBody)[readBody] = read;
      next();
    }, next);
  };
}

/** The body's chunks; "too_large" as soon as they pass `limit` (reading then stops). */
function readUpTo(req: Request, limit: number): Promise<Buffer[] | "too_large" | "aborted"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const done = (result: Buffer[] | "too_large" | "aborted") => {
      req.off("data", onData).off("end", onEnd).off("error", onAborted).off("close", onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) return void chunks.push(chunk);
      req.pause();
      done("too_large");
    };
    const onEnd = () => done(chunks);
    const onAborted = () => done("aborted");
    req.on("data", onData).once("end", onEnd).once("error", onAborted).once("close", onAborted);
  });
}

/**
 * What @remix-run/express reads a request from: `req` itself, or — for a chunked body this
 * module has already read — a stream of that body carrying what the adapter and
 * getLoadContext ask of a request (method, URL parts, headers, host, ip).
 */
export function requestForRemix(req: Request): Request {
  const chunks = (req as WithReadBody)[readBody];
  if (!chunks) return req;
  const body = Readable.from(chunks, { objectMode: false });
  return Object.assign(body, {
    method: req.method,
    url: req.url,
    originalUrl: req.originalUrl,
    headers: req.headers,
    protocol: req.protocol,
    hostname: req.hostname,
    ip: req.ip,
    get: req.get.bind(req),
  }) as unknown as Request;
}

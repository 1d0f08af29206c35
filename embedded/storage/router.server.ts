import { createHash, randomUUID } from "node:crypto";
import { pipeline } from "node:stream";
import express, { type NextFunction, type Request, type Response } from "express";
import { requireApiKey } from "../auth/guards.server";
import { createAccessTokenVerifier } from "~/auth/verify.server";
import type { DbHandle } from "~/db/client.server";
import type { JwtClaims } from "~/db/types";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { fromDatabaseError, sendRouteNotFound, sendStorageError, storageErrors, StorageHttpError } from "./errors.server";
import { createFileStore, type Placement } from "./file-store.server";
import { isValidBucketName, isValidObjectKey } from "./object-keys";
import { findBucket, findVisibleObject, insertObject, testInsertPermission, type ObjectMetadata } from "./objects.server";
import { identifyRequester } from "./requester.server";
import { checkMimeType, readIncomingFile } from "./upload-body.server";

export interface EmbeddedStorageOptions {
  /** The database; a function when it is still opening as the router is mounted. */
  handle: DbHandle | (() => DbHandle | Promise<DbHandle>);
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Default: HS256 with jwtSecret, audience and role "authenticated" (the app's verifier). */
  verifyAccessToken?: (token: string) => Promise<JwtClaims>;
  /** Objects are kept under `<dataDir>/storage/<bucket>/<key>`. */
  dataDir: string;
  /** Storage's global upload limit, under every bucket's own; default 50 MiB, as on Supabase. */
  maxFileSizeBytes?: number;
  /** Where unexpected (500) errors are reported; default console.error. */
  onUnexpectedError?: (error: unknown) => void;
}

const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024;

/**
 * The part of the Supabase Storage HTTP API that storage-js's upload and download use,
 * served by the app itself; mount at `/storage/v1`. Rows in storage.objects are written
 * and read as the requester, so the policies on storage.objects decide, as on Supabase.
 */
export function createEmbeddedStorageRouter(options: EmbeddedStorageOptions): express.Router {
  const database = async () => (typeof options.handle === "function" ? options.handle() : options.handle);
  const files = createFileStore(options.dataDir);
  const maxFileSize = options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE;
  const requester = {
    anonKey: options.anonKey,
    serviceRoleKey: options.serviceRoleKey,
    verifyAccessToken:
      options.verifyAccessToken ?? createAccessTokenVerifier({ jwtSecret: options.jwtSecret, supabaseUrl: "http://localhost" }),
  };
  const reportUnexpected = options.onUnexpectedError ?? ((error: unknown) => console.error("[embedded storage]", error));

  /** The bucket and key of /object/[authenticated/]<bucket>/<key>, validated as Storage does. */
  function target(req: Request) {
    const bucketId = req.params.bucket;
    const key = (req.params as Record<string, string>)[0] ?? "";
    if (!isValidBucketName(bucketId)) throw storageErrors.invalidBucketName();
    if (!isValidObjectKey(key)) throw storageErrors.invalidKey(key);
    return { bucketId, key };
  }

  async function upload(req: Request, res: Response) {
    const claims = await identifyRequester(req, requester);
    const { bucketId, key } = target(req);
    const upsert = req.get("x-upsert") === "true";
    const db = await database();
    const bucket = await findBucket(db, bucketId);
    if (!bucket) throw storageErrors.noSuchBucket();
    const version = randomUUID();
    const object = { bucketId, name: key, version, upsert, metadata: null };
    await testInsertPermission(db, claims, object).catch((error: unknown) => {
      throw fromDatabaseError(error);
    });

    const bucketLimit = bucket.file_size_limit === null ? Infinity : Number(bucket.file_size_limit);
    const file = await readIncomingFile(req, Math.min(bucketLimit, maxFileSize));
    checkMimeType(file, bucket.allowed_mime_types);

    const metadata: ObjectMetadata = {
      eTag: `"${createHash("md5").update(file.bytes).digest("hex")}"`,
      size: file.bytes.length,
      mimetype: file.mimeType,
      cacheControl: file.cacheControl,
      lastModified: new Date().toUTCString(),
      contentLength: file.bytes.length,
      httpStatusCode: 200,
    };
    const staged = await files.stage(file.bytes);
    let placement: Placement | undefined;
    let id: string;
    try {
      // The file is linked into place inside the transaction that records its row: both
      // or neither.
      id = await withUserTransaction(db.db, claims, async (tx) => {
        const objectId = await insertObject(tx, claims, { ...object, metadata });
        placement = await files.place(staged, bucketId, key, { replace: upsert }).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === "EEXIST") throw storageErrors.keyAlreadyExists();
          throw error;
        });
        return objectId;
      });
    } catch (error) {
      await placement?.undo();
      throw fromDatabaseError(error);
    } finally {
      await files.discard(staged);
    }
    await placement!.done().catch(reportUnexpected);
    res.status(200).json({ Id: id, Key: `${bucketId}/${key}` });
  }

  async function download(req: Request, res: Response) {
    const claims = await identifyRequester(req, requester);
    const { bucketId, key } = target(req);
    const db = await database();
    const object = await findVisibleObject(db, claims, bucketId, key);
    if (!object) throw storageErrors.noSuchKey();
    const file = await files.open(bucketId, key);
    if (!file) {
      reportUnexpected(new Error(`storage.objects row ${object.id} has no file ${bucketId}/${key}`));
      throw storageErrors.noSuchKey();
    }
    const metadata = object.metadata;
    res.status(200).set({
      "content-type": metadata?.mimetype ?? "application/octet-stream",
      "content-length": String(file.size),
      "cache-control": metadata?.cacheControl ?? "no-cache",
      ...(metadata?.eTag ? { etag: metadata.eTag } : {}),
      ...(metadata?.lastModified ? { "last-modified": metadata.lastModified } : {}),
      // Unlike Supabase's, these files come from the app's own origin: whatever they are,
      // they run nothing there.
      "content-security-policy": "default-src 'none'; sandbox",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") {
      file.stream.destroy();
      res.end();
      return;
    }
    pipeline(file.stream, res, (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") reportUnexpected(error);
    });
  }

  type Handler = (req: Request, res: Response) => Promise<void>;
  const wrap = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };

  const router = express.Router();
  router.use(requireApiKey(options));
  // The rest of Storage's object API is not served: the app uploads and downloads only.
  router.all(
    [
      "/object/sign/*",
      "/object/upload/*",
      "/object/info/*",
      "/object/public/*",
      "/object/list/*",
      "/object/list-v2/*",
      "/object/move",
      "/object/copy",
    ],
    (req, res) => sendRouteNotFound(res, req.method, req.originalUrl),
  );
  router.get("/object/authenticated/:bucket/*", wrap(download));
  router.post("/object/:bucket/*", wrap(upload));
  router.get("/object/:bucket/*", wrap(download));

  router.use((req, res) => sendRouteNotFound(res, req.method, req.originalUrl));
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof StorageHttpError) return sendStorageError(res, error);
    reportUnexpected(error);
    sendStorageError(res, storageErrors.internal());
  });
  return router;
}

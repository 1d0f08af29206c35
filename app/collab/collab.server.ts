import type http from "node:http";
import type { Duplex } from "node:stream";
import { Redis } from "@hocuspocus/extension-redis";
import type { JSONContent } from "@tiptap/core";
import { Hocuspocus, type Document, type Extension } from "@hocuspocus/server";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import * as Y from "yjs";
import type { SessionCheck } from "~/auth/session-check.server";
import type { DbHandle } from "~/db/client.server";
import type { JwtClaims } from "~/db/types";
import { describeJson, describeYDoc, ensureTextSlots, type StoredDocument } from "~/lesson-plans/document.server";
import { PLAN_FRAGMENT, planDocumentName } from "~/lesson-plans/extensions";
import { repairPlanFragment } from "~/lesson-plans/schema-gate";
import { isSameSiteUpgrade } from "~/server/cross-site.server";
import type { CollabContext, CollabDatabase } from "./context";
import { accessChanges } from "./extensions/access-changes.server";
import { authentication } from "./extensions/authentication.server";
import { persistence } from "./extensions/persistence.server";
import { presence } from "./extensions/presence.server";
import { schemaGate } from "./extensions/schema-gate.server";
import { sessionExpiry } from "./extensions/session-expiry.server";
import { createUpdateLog } from "./extensions/update-log.server";

export { ACCESS_CHANNEL } from "./extensions/access-changes.server";
export type { CollabContext } from "./context";

export const COLLAB_PATH = "/collab";

export interface CollabOptions {
  database: Promise<{ db: DbHandle }>;
  verifyAccessToken: (token: string) => Promise<JwtClaims>;
  /** Auth's sessions: connections are refused, and closed, once theirs has ended. */
  sessions: SessionCheck;
  /** Compacts a changed document's update log into its stored state at most this often (ms)… */
  debounce?: number;
  /** …and at the latest this long after its first change. */
  maxDebounce?: number;
  /** Several app instances share documents through Redis when set. */
  redisUrl?: string;
  /** The address people open: upgrades from pages of any other origin are refused (403). */
  publicUrl?: string;
}

export interface Collab {
  hocuspocus: Hocuspocus<CollabContext>;
  /** Serves WebSocket upgrades on /collab and refuses every other upgrade path; compacts what a crash left in the log. */
  attach(server: http.Server): void;
  /** The plan's document as it is live now (loaded from the database if nobody is editing). */
  snapshot(planId: string): Promise<StoredDocument>;
  /** A new document holding this tiptap JSON (a plan's template). */
  describe(json: JSONContent): StoredDocument;
  /** The live content when this instance has the document open (fresher than the stored row), else null. */
  peek(planId: string): StoredDocument | null;
  /** Replaces the live content with a version's, as a new change every editor receives. */
  restore(planId: string, versionState: Uint8Array): Promise<void>;
  /** Folds every plan's logged updates into its stored state (what a crash left behind). */
  recover(): Promise<number>;
  /** The recovery `attach` started: how many plans it folded. */
  readonly recovered: Promise<number>;
  /** Stores every open document with changes now. */
  flush(): Promise<void>;
  /** Stops accepting connections, drops the open ones, then stores every document. */
  close(): Promise<void>;
}

/**
 * The lesson plans' collaboration server: Hocuspocus with one extension per concern —
 * authentication (RLS decides), presence from the server, the schema gate, persistence
 * (update log and compaction), access changes (LISTEN/NOTIFY) — attached to the app's own
 * HTTP server at /collab. See docs/decisions/004 and 006.
 */
export function createCollab(options: CollabOptions): Collab {
  const database: CollabDatabase = {
    handle: async () => (await options.database).db,
    db: async () => (await options.database).db.db,
  };
  const log = createUpdateLog(database.handle);
  const stored = persistence({ database, log });
  const access = accessChanges({ database });
  const extensions: Extension[] = [
    authentication({ database, verifyAccessToken: options.verifyAccessToken, sessions: options.sessions }),
    sessionExpiry({ sessions: options.sessions }).extension,
    presence(),
    schemaGate(),
    stored.extension,
    access.extension,
  ];
  if (options.redisUrl) {
    const url = new URL(options.redisUrl);
    extensions.push(new Redis({ host: url.hostname, port: Number(url.port || 6379), prefix: "tongke-collab" }));
  }

  const hocuspocus = new Hocuspocus<CollabContext>({
    name: "tongke",
    quiet: true,
    // Durability comes from the update log; compaction (JSON and text for the read views,
    // search and exports; `peek` serves open plans live) can wait for a pause in the typing.
    debounce: options.debounce ?? 5_000,
    maxDebounce: options.maxDebounce ?? 30_000,
    extensions,
  });

  let closing = false;
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });

  function accept(ws: WebSocket, req: http.IncomingMessage) {
    sockets.add(ws);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) headers.set(name, value.join(", "));
    }
    const request = new Request(new URL(req.url ?? COLLAB_PATH, "http://localhost"), { headers });
    const client = hocuspocus.handleConnection(ws, request);
    ws.on("message", (data: RawData) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      client.handleMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });
    ws.on("close", (code, reason) => {
      sockets.delete(ws);
      client.handleClose({ code, reason: reason.toString() });
    });
    ws.on("error", (error) => console.warn("collab: socket error", error.message));
  }

  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  function attach(server: http.Server) {
    server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
      const refusal =
        pathname !== COLLAB_PATH
          ? "404 Not Found"
          : closing
            ? "503 Service Unavailable"
            : !isSameSiteUpgrade(req.headers, publicOrigin)
              ? "403 Forbidden"
              : null;
      if (refusal) {
        socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
    });
    void access.start().catch((error: unknown) => console.warn("collab: cannot listen for access changes:", error));
    recovered = recover().catch((error: unknown) => {
      console.warn("collab: recovery of the update log failed:", error);
      return 0;
    });
  }
  let recovered: Promise<number> = Promise.resolve(0);

  async function withDocument<T>(planId: string, work: (document: Document) => T | Promise<T>): Promise<T> {
    const connection = await hocuspocus.openDirectConnection(planDocumentName(planId), {} as CollabContext);
    try {
      return await work(connection.document!);
    } finally {
      await connection.disconnect();
    }
  }

  /** Loading a document merges its log and stores it; the direct connection then lets it go. */
  async function recover() {
    const plans = await log.plansWithUpdates();
    for (const planId of plans) {
      await withDocument(planId, () => {}).catch((error: unknown) =>
        console.warn(`collab: could not recover ${planId}:`, error instanceof Error ? error.message : error),
      );
    }
    if (plans.length > 0) console.log(`collab: folded the update log of ${plans.length} plan(s) into their documents`);
    return plans.length;
  }

  async function flush() {
    await Promise.all(
      [...hocuspocus.documents.entries()].map(([name, document]) =>
        stored.store(name, document).catch((error: unknown) => console.error(`collab: could not store ${name}`, error)),
      ),
    );
  }

  return {
    hocuspocus,
    attach,
    snapshot: (planId) => withDocument(planId, (document) => describeYDoc(document)),
    describe: describeJson,
    peek(planId) {
      const document = hocuspocus.documents.get(planDocumentName(planId));
      return document && stored.isLoaded(document) ? describeYDoc(document) : null;
    },
    async restore(planId, versionState) {
      const version = new Y.Doc();
      Y.applyUpdate(version, versionState);
      const nodes = version.getXmlFragment(PLAN_FRAGMENT).toArray();
      const connection = await hocuspocus.openDirectConnection(planDocumentName(planId), {} as CollabContext);
      try {
        await connection.transact((document) => {
          const fragment = document.getXmlFragment(PLAN_FRAGMENT);
          fragment.delete(0, fragment.length);
          fragment.insert(
            0,
            nodes.map((node) => node.clone() as Y.XmlElement | Y.XmlText),
          );
          // A version saved before the schema gate may hold what it refuses today.
          repairPlanFragment(fragment);
          ensureTextSlots(fragment);
        });
      } finally {
        // Disconnecting stores the document at once.
        await connection.disconnect();
      }
    },
    recover,
    get recovered() {
      return recovered;
    },
    flush,
    async close() {
      closing = true;
      // Nothing more arrives once the sockets are gone, so what is stored below is everything
      // that was acknowledged (and already in the log); the providers keep the rest.
      for (const ws of sockets) ws.terminate();
      await flush();
      stored.stop();
      // Extensions let go of what they hold (the LISTEN, the Redis connections).
      await hocuspocus.hooks("onDestroy", { instance: hocuspocus }).catch(() => {});
      wss.close();
    },
  };
}

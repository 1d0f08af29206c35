import type http from "node:http";
import type { Duplex } from "node:stream";
import { Redis } from "@hocuspocus/extension-redis";
import type { JSONContent } from "@tiptap/core";
import { Hocuspocus, type Connection, type Document, type Extension } from "@hocuspocus/server";
import { sql } from "drizzle-orm";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import * as Y from "yjs";
import type { Database, DbHandle } from "~/db/client.server";
import { selectRows } from "~/db/execute.server";
import { withServiceRole } from "~/db/system.server";
import type { JwtClaims } from "~/db/types";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { describeJson, describeYDoc, isEmptyState, type StoredDocument } from "~/lesson-plans/document.server";
import { PLAN_FRAGMENT, planDocumentName, planIdOfDocument } from "~/lesson-plans/extensions";
import { COLLAB_CLOSE_CODE, COLLAB_REASONS } from "./close-reasons";

export const COLLAB_PATH = "/collab";
export const ACCESS_CHANNEL = "tongke_lesson_plan_access";

type Access = "edit" | "read";

/** What each authenticated connection carries. */
export interface CollabContext {
  userId: string;
  claims: JwtClaims;
  planId: string;
  pairingId: string;
  access: Access;
}

export interface CollabOptions {
  database: Promise<{ db: DbHandle }>;
  verifyAccessToken: (token: string) => Promise<JwtClaims>;
  /** Stores a changed document at most this often (ms)… */
  debounce?: number;
  /** …and at the latest this long after its first unsaved change. */
  maxDebounce?: number;
  /** Several app instances share documents through Redis when set. */
  redisUrl?: string;
}

export interface Collab {
  hocuspocus: Hocuspocus<CollabContext>;
  /** Serves WebSocket upgrades on /collab and refuses every other upgrade path. */
  attach(server: http.Server): void;
  /** The plan's document as it is live now (loaded from the database if nobody is editing). */
  snapshot(planId: string): Promise<StoredDocument>;
  /** A new document holding this tiptap JSON (a plan's template). */
  describe(json: JSONContent): StoredDocument;
  /** The live content when this instance has the document open (fresher than the stored row), else null. */
  peek(planId: string): StoredDocument | null;
  /** Replaces the live content with a version's, as a new change every editor receives. */
  restore(planId: string, versionState: Uint8Array): Promise<void>;
  /** Stores every document with unsaved changes now. */
  flush(): Promise<void>;
  /** Stops accepting connections, drops the open ones, then stores every document. */
  close(): Promise<void>;
}

/** A refusal Hocuspocus sends to the provider as permission-denied with this reason. */
class CollabRefusal extends Error {
  constructor(readonly reason: string) {
    // No message: Hocuspocus logs hook errors that have one, and a refusal is not an error.
    super("");
  }
}

export function createCollab(options: CollabOptions): Collab {
  const dbOf = async (): Promise<Database> => (await options.database).db.db;
  /** Documents whose stored state was read successfully: only these are ever written back. */
  const loaded = new WeakSet<Y.Doc>();
  const storedHash = new Map<string, string>();
  let closing = false;
  let closed = false;

  async function readAccess(claims: JwtClaims, planId: string) {
    const rows = await withUserTransaction(dbOf(), claims, (tx) =>
      selectRows<{ pairing_id: string; access: Access | null }>(
        tx,
        sql`select pairing_id, private.lesson_plan_access(id) as access from public.lesson_plans where id = ${planId}`,
      ),
    );
    const row = rows[0];
    return row?.access ? { pairingId: row.pairing_id, access: row.access } : null;
  }

  /**
   * Debounced stores run one at a time, yielding to the event loop between them: when many
   * documents reach their maximum debounce together (everyone typing), converting and writing
   * them would otherwise hold the loop for seconds — PGlite runs on this thread — and every
   * edit in flight would wait.
   */
  let storing: Promise<unknown> = Promise.resolve();
  function storeInTurn(documentName: string, document: Y.Doc): Promise<void> {
    const turn = storing.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => store(documentName, document));
    storing = turn.catch(() => {});
    return turn;
  }

  async function store(documentName: string, document: Y.Doc) {
    const planId = planIdOfDocument(documentName);
    if (!planId || !loaded.has(document) || closed) return;
    const described = describeYDoc(document);
    if (storedHash.get(documentName) === described.stateHash) return;
    if (isEmptyState(described.state)) {
      console.warn(`collab: refusing to store an empty document over ${documentName}`);
      return;
    }
    // One statement: the state and what derives from it change together.
    await withServiceRole(await dbOf(), (tx) =>
      tx.execute(sql`
        update public.lesson_plan_documents
        set state = ${Buffer.from(described.state)}, content_json = ${JSON.stringify(described.contentJson)}::jsonb,
            content_text = ${described.contentText}, state_hash = ${described.stateHash}, updated_at = now()
        where plan_id = ${planId}`),
    );
    storedHash.set(documentName, described.stateHash);
  }

  const persistence: Extension<CollabContext> = {
    extensionName: "tongke-lesson-plans",
    async onAuthenticate({ token, documentName, connectionConfig }) {
      const planId = planIdOfDocument(documentName);
      if (!planId) throw new CollabRefusal(COLLAB_REASONS.forbidden);
      let claims: JwtClaims;
      try {
        claims = await options.verifyAccessToken(token);
      } catch {
        throw new CollabRefusal(COLLAB_REASONS.unauthenticated);
      }
      const found = await readAccess(claims, planId).catch(() => {
        throw new CollabRefusal(COLLAB_REASONS.unavailable);
      });
      if (!found) throw new CollabRefusal(COLLAB_REASONS.forbidden);
      // A reader's updates are answered "not synced" and never applied, so never stored.
      connectionConfig.readOnly = found.access !== "edit";
      return { userId: claims.sub, claims, planId, ...found } satisfies CollabContext;
    },
    async onLoadDocument({ documentName, document }) {
      const planId = planIdOfDocument(documentName);
      if (!planId) throw new CollabRefusal(COLLAB_REASONS.forbidden);
      // A failure here unloads the document: an empty one never replaces the stored one.
      const rows = await withServiceRole(await dbOf(), (tx) =>
        selectRows<{ state: Uint8Array; state_hash: string }>(
          tx,
          sql`select state, state_hash from public.lesson_plan_documents where plan_id = ${planId}`,
        ),
      ).catch((error: unknown) => {
        console.warn(`collab: could not load ${documentName}:`, error instanceof Error ? error.message : error);
        throw new CollabRefusal(COLLAB_REASONS.unavailable);
      });
      const row = rows[0];
      if (!row) throw new CollabRefusal(COLLAB_REASONS.unavailable);
      Y.applyUpdate(document, new Uint8Array(row.state));
      loaded.add(document);
      storedHash.set(documentName, describeYDoc(document).stateHash);
    },
    async onStoreDocument({ documentName, document }) {
      await storeInTurn(documentName, document);
    },
    async afterUnloadDocument({ documentName }) {
      storedHash.delete(documentName);
    },
  };

  const extensions: Extension[] = [persistence];
  if (options.redisUrl) {
    const url = new URL(options.redisUrl);
    extensions.push(new Redis({ host: url.hostname, port: Number(url.port || 6379), prefix: "tongke-collab" }));
  }

  const hocuspocus = new Hocuspocus<CollabContext>({
    name: "tongke",
    quiet: true,
    debounce: options.debounce ?? 2_000,
    maxDebounce: options.maxDebounce ?? 10_000,
    extensions,
  });

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

  function attach(server: http.Server) {
    server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
      if (pathname !== COLLAB_PATH || closing) {
        socket.end(`HTTP/1.1 ${closing ? "503 Service Unavailable" : "404 Not Found"}\r\nConnection: close\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
    });
    void listenForAccessChanges();
  }

  /** Access changes announced by the database: re-check (or close) the connections concerned. */
  async function listenForAccessChanges() {
    const { db } = await options.database;
    const unlisten = await db.listen(ACCESS_CHANNEL, (payload) => {
      let change: { plan_id?: string; pairing_id?: string; user_id?: string };
      try {
        change = JSON.parse(payload) as typeof change;
      } catch {
        return;
      }
      for (const document of hocuspocus.documents.values()) {
        for (const connection of document.getConnections() as Connection<CollabContext>[]) {
          const context = connection.context;
          if (!context?.userId) continue;
          const concerned =
            change.plan_id === context.planId || change.pairing_id === context.pairingId || change.user_id === context.userId;
          if (concerned) void recheck(connection);
        }
      }
    });
    stopListening = unlisten;
  }
  let stopListening: (() => Promise<void>) | undefined;

  async function recheck(connection: Connection<CollabContext>) {
    const context = connection.context;
    const now = await readAccess(context.claims, context.planId).catch(() => undefined);
    if (now === undefined) return; // the database is unavailable: keep the connection, check again next time
    if (now === null) connection.close({ code: COLLAB_CLOSE_CODE, reason: COLLAB_REASONS.accessRevoked });
    else if (now.access !== context.access) {
      connection.readOnly = now.access !== "edit";
      connection.close({ code: COLLAB_CLOSE_CODE, reason: COLLAB_REASONS.accessChanged });
    }
  }

  async function withDocument<T>(planId: string, work: (document: Document) => T | Promise<T>): Promise<T> {
    const connection = await hocuspocus.openDirectConnection(planDocumentName(planId), {} as CollabContext);
    try {
      return await work(connection.document!);
    } finally {
      await connection.disconnect();
    }
  }

  async function flush() {
    await Promise.all(
      [...hocuspocus.documents.entries()].map(([name, document]) =>
        store(name, document).catch((error: unknown) => console.error(`collab: could not store ${name}`, error)),
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
      return document && loaded.has(document) ? describeYDoc(document) : null;
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
          fragment.insert(0, nodes.map((node) => node.clone() as Y.XmlElement | Y.XmlText));
        });
      } finally {
        // Disconnecting stores the document at once.
        await connection.disconnect();
      }
    },
    flush,
    async close() {
      closing = true;
      // Nothing more arrives once the sockets are gone, so what is stored below is everything
      // that was acknowledged; the providers keep the rest and send it on reconnecting.
      for (const ws of sockets) ws.terminate();
      await flush();
      closed = true;
      await stopListening?.().catch(() => {});
      // Extensions let go of what they hold (the Redis connections).
      await hocuspocus.hooks("onDestroy", { instance: hocuspocus }).catch(() => {});
      wss.close();
    },
  };
}

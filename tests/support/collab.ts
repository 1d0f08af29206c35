import http from "node:http";
import type { AddressInfo } from "node:net";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { SignJWT } from "jose";
import WebSocket from "ws";
import * as Y from "yjs";
import { createSessionCheck, databaseSessionLookup, type SessionCheck } from "../../app/auth/session-check.server";
import { createAccessTokenVerifier } from "../../app/auth/verify.server";
import { createCollab, type Collab } from "../../app/collab/collab.server";
import type { DbHandle } from "../../app/db/client.server";
import type { JwtClaims } from "../../app/db/types";
import { PLAN_FRAGMENT, planDocumentName } from "../../app/lesson-plans/extensions";

export const TEST_JWT_SECRET = "collab-test-secret-at-least-32-characters-long";

export async function tokenFor(claims: JwtClaims, expiresInSeconds = 600): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

export interface CollabServer {
  collab: Collab;
  /** The server's session check (a test that ends and restores a session makes it forget its answer). */
  sessions: SessionCheck;
  url: string;
  stop(): Promise<void>;
}

/** The collaboration server as server.ts mounts it, on its own port, over a test database. */
export async function startCollabServer(
  db: DbHandle,
  options: { debounce?: number; maxDebounce?: number; redisUrl?: string; sessionCheckMs?: number; publicUrl?: string } = {},
): Promise<CollabServer> {
  const sessions = createSessionCheck(
    databaseSessionLookup(async () => db),
    { ttlMs: options.sessionCheckMs ?? 1_000 },
  );
  const collab = createCollab({
    database: Promise.resolve({ db }),
    verifyAccessToken: createAccessTokenVerifier({ jwtSecret: TEST_JWT_SECRET, supabaseUrl: "http://localhost" }),
    sessions,
    debounce: options.debounce ?? 200,
    maxDebounce: options.maxDebounce ?? 1_000,
    redisUrl: options.redisUrl,
    publicUrl: options.publicUrl,
  });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  collab.attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/collab`;
  return {
    collab,
    sessions,
    url,
    async stop() {
      await collab.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface TestClient {
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  doc: Y.Doc;
  /** Resolves to "read-write" / "readonly", or rejects with the refusal's reason. */
  authenticated: Promise<string>;
  closedWith: string[];
  destroy(): void;
}

/**
 * Node's WebSocket for the provider. Destroying a provider whose reconnect is still in its
 * handshake (the server was just killed) closes that socket, which then reports an error after
 * the provider has stopped listening: a browser drops it, Node would crash the test run.
 */
class ProviderWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on("error", () => {});
  }
}

/** A real provider in Node, as a browser's would connect. */
export function connect(url: string, planId: string, token: string): TestClient {
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: ProviderWebSocket as never });
  const closedWith: string[] = [];
  let resolve!: (scope: string) => void;
  let reject!: (reason: Error) => void;
  const authenticated = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  authenticated.catch(() => {});
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: planDocumentName(planId),
    token,
    onAuthenticated: ({ scope }) => resolve(scope),
    onAuthenticationFailed: ({ reason }) => reject(new Error(reason)),
    onClose: ({ event }) => closedWith.push(event.reason),
  });
  provider.attach();
  return {
    provider,
    socket,
    doc: provider.document,
    authenticated,
    closedWith,
    destroy() {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** Appends a paragraph with `text` to the plan, as the editor would. */
export function appendParagraph(doc: Y.Doc, text: string) {
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  const fragment = doc.getXmlFragment(PLAN_FRAGMENT);
  fragment.insert(fragment.length, [paragraph]);
}

export const documentText = (doc: Y.Doc) => doc.getXmlFragment(PLAN_FRAGMENT).toString();

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Resolves once every local change has been acknowledged by the server. */
export const synced = (client: TestClient, what = "sync") =>
  waitFor(() => client.provider.isSynced && client.provider.unsyncedChanges === 0, what);

/** A plan as the database holds it: the stored state merged with its update log, as loading does. */
export async function planInDatabase(db: DbHandle, planId: string): Promise<{ text: string; logRows: number }> {
  const [row] = await db.query<{ state: Uint8Array }>("select state from public.lesson_plan_documents where plan_id = $1", [planId]);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(row.state));
  const logged = await db.query<{ update: Uint8Array }>("select update from private.lesson_plan_updates where plan_id = $1 order by id", [
    planId,
  ]);
  for (const entry of logged) Y.applyUpdate(doc, new Uint8Array(entry.update));
  return { text: doc.getXmlFragment(PLAN_FRAGMENT).toString(), logRows: logged.length };
}

import { randomBytes } from "node:crypto";
import path from "node:path";
import v8 from "node:v8";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type RequestHandler } from "express";
import expressStaticGzip from "express-static-gzip";
import type { Env } from "~/config.server";
import type { DbHandle } from "~/db/client.server";
import { lazyChunkFinder } from "./lazy-chunks.server";
import helmet from "helmet";
import { httpUrlOf } from "~/live/livekit.server";
import { createOutboxRouter } from "../../embedded/auth/outbox.server";
import { createEmbeddedAuthRouter } from "../../embedded/auth/router.server";
import { createEmbeddedStorageRouter } from "../../embedded/storage/router.server";
import { rejectOversizedBodies, requestForRemix } from "./body-limit.server";
import { refuseCrossSiteWrites } from "./cross-site.server";
import type { Tongke } from "./tongke.server";

export interface HttpAppOptions {
  env: Env;
  tongke: Tongke;
  /**
   * The Remix build: the build itself in production (Remix derives its routes once), or a
   * function so development can swap it without a restart (routes derived per request).
   */
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** This server's own origin as the server reaches it (for embedded Auth). */
  baseUrl: () => string;
  isReady: () => boolean;
}

export function createHttpApp({ env, tongke, build, baseUrl, isReady }: HttpAppOptions) {
  const app = express();
  const dev = env.NODE_ENV === "development";
  let db: DbHandle | undefined;
  const opened = tongke.database.then((d) => (db = d.db));
  const database = opened.then((handle) => handle.db);
  database.catch(() => {});
  app.disable("x-powered-by");
  // Only the local hop may speak for the client's address (the app's own sign-in action).
  app.set("trust proxy", "loopback");

  if (env.TONGKE_MEMORY_PROBE === "1") serveMemoryProbe(app, env.DATA_DIR);

  app.get("/healthz", async (_req, res) => {
    if (!db) return void res.status(503).json({ status: "starting" });
    try {
      await db.query("select 1");
      res.status(isReady() ? 200 : 503).json({ status: isReady() ? "ok" : "shutting_down" });
    } catch {
      res.status(503).json({ status: "database_unavailable" });
    }
  });

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", "data:", "blob:"],
          fontSrc: ["'self'", "data:"],
          // LiveKit's signalling is ws(s); after a failed connect, livekit-client asks the same host over http(s).
          connectSrc: ["'self'", "ws:", "wss:", new URL(httpUrlOf(env.LIVEKIT_URL)).origin],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
      // Only over https: on plain http browsers ignore it anyway.
      hsts: (env.PUBLIC_URL ?? "").startsWith("https:"),
    }),
  );
  // Every file in /build has its content hash in its name. In production they go out as
  // `npm run build` compressed them (brotli 11, gzip 9), picked by Accept-Encoding, ahead of
  // the per-request compression below. The middleware lists the .br/.gz files once, at start:
  // in development `remix watch` empties and refills the folder, so there it is left out.
  const hashedFiles = { immutable: true, maxAge: "1y", index: false };
  if (!dev) {
    app.use(
      "/build",
      expressStaticGzip("public/build", { enableBrotli: true, orderPreference: ["br", "gzip"], index: false, serveStatic: hashedFiles }),
    );
  }
  app.use(compression());

  if (dev) app.use("/build", express.static("public/build", hashedFiles));

  app.use("/fonts", express.static("public/fonts", { immutable: true, maxAge: "1y", index: false }));
  // The service worker is checked for updates on every navigation: never from an HTTP cache.
  app.get("/sw.js", (_req, res, next) => {
    res.sendFile(path.resolve("public/sw.js"), { cacheControl: false, headers: { "cache-control": "no-cache" } }, (error) => {
      if (error) next();
    });
  });
  app.use(express.static("public", { maxAge: dev ? 0 : "1h", index: false }));
  // Pages outside the app's layout (the outbox) make browsers ask for the classic icon.
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));

  const embedded = tongke.embeddedAuth;
  if (embedded) {
    let authRouter: express.Router | undefined;
    const serveAuth: RequestHandler = (req, res, next) => {
      authRouter ??= createEmbeddedAuthRouter({
        handle: db!,
        jwtSecret: embedded.jwtSecret,
        // Links in mails and the tokens' issuer use the address people open.
        apiUrl: env.PUBLIC_URL ?? baseUrl().replace("127.0.0.1", "localhost"),
        anonKey: embedded.anonKey,
        serviceRoleKey: embedded.serviceRoleKey,
      });
      authRouter(req, res, next);
    };
    app.use("/auth/v1", (req, res, next) => (db ? serveAuth(req, res, next) : opened.then(() => serveAuth(req, res, next), next)));
    app.use(
      "/storage/v1",
      createEmbeddedStorageRouter({
        handle: () => opened,
        ...embedded,
        verifyAccessToken: tongke.verifyAccessToken,
        dataDir: env.DATA_DIR,
      }),
    );
    // Like Supabase CLI's Inbucket: the mail the embedded Auth "sent". Its links sign people
    // in, so it is never served in production unless a test run asks for it.
    if (dev || env.TONGKE_DEV_OUTBOX === "true") {
      // Outside development the server listens on loopback alone (parseEnv); a request that came
      // through a proxy on this machine carries the proxy's forwarding headers and is not served.
      const direct: RequestHandler = (req, res, next) =>
        dev || (req.headers["x-forwarded-for"] === undefined && req.headers.forwarded === undefined) ? next() : res.status(404).end();
      app.use("/dev/outbox", direct, createOutboxRouter({ handle: () => opened }));
    }
  }

  // The app's own routes (pages and /api): Auth and Storage above answer bearer tokens, never cookies.
  app.use(refuseCrossSiteWrites({ publicUrl: env.PUBLIC_URL }));
  app.use(rejectOversizedBodies({ maxBytes: 1024 * 1024 }));

  const lazyChunks = lazyChunkFinder(build);
  const remix = createRequestHandler({
    build,
    mode: env.NODE_ENV,
    getLoadContext: (req, res) => ({
      tongke: {
        env,
        database,
        supabaseUrl: env.SUPABASE_URL ?? baseUrl(),
        supabaseAnonKey: tongke.supabaseAnonKey,
        supabaseServiceRoleKey: tongke.supabaseServiceRoleKey,
        verifyAccessToken: tongke.verifyAccessToken,
        sessions: tongke.sessions,
        collab: tongke.collab,
        live: tongke.live,
        cspNonce: res.locals.cspNonce as string,
        clientIp: req.ip ?? "",
        lazyChunks,
      },
    }),
  });
  app.all("*", (req, res, next) => remix(requestForRemix(req), res, next));
  return app;
}

/**
 * For `npm run bench:soak` only, and only with TONGKE_MEMORY_PROBE=1: the process's memory
 * (after a full collection when node runs with --expose-gc and `gc=1` is asked), and a V8
 * heap snapshot written under DATA_DIR. Registered before everything else, so it measures
 * the process, not a request through the app.
 */
function serveMemoryProbe(app: express.Express, dataDir: string) {
  app.get("/healthz", (req, res, next) => {
    if (req.query.memory !== "1") return next();
    const gc = (globalThis as { gc?: () => void }).gc;
    const collected = req.query.gc === "1" && typeof gc === "function";
    if (collected) gc();
    res.set("cache-control", "no-store").json({ ...process.memoryUsage(), collected });
  });
  app.post("/healthz/heap-snapshot", (_req, res) => {
    const file = v8.writeHeapSnapshot(path.resolve(dataDir, `heap-${Date.now()}.heapsnapshot`));
    res.set("cache-control", "no-store").json({ file });
  });
}

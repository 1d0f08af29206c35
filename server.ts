import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { EnvError, parseEnv } from "~/config.server";
import { DataDirInUseError } from "~/db/data-dir-lock.server";
import { createHttpApp } from "~/server/http.server";
import { printStatus } from "~/server/status.server";
import { startTongke } from "~/server/tongke.server";

const BUILD_PATH = path.resolve("build/index.js");

async function main() {
  const started = performance.now();
  const env = parseEnv();
  let port = env.PORT;
  const baseUrl = () => `http://127.0.0.1:${port}`;
  // The database opens while the server starts listening (and, in development, while Remix builds).
  const tongke = await startTongke(env, { baseUrl });
  // Production loads the build once and hands Remix the build itself, so its routes are derived
  // once too (given a function, Remix re-derives them on every request). Loading it per request
  // re-evaluated the whole bundle each time — ~38 ms of CPU and ~1.9 MB retained per request,
  // every copy kept alive by this module's `children` list (see loadBuild), until the heap ran out.
  const build = env.NODE_ENV === "development" ? developmentBuild(tongke.database, env.TONGKE_REMIX_WATCH_STARTED === "1") : loadBuild();

  let ready = true;
  const app = createHttpApp({ env, tongke, build, baseUrl, isReady: () => ready });
  const server = http.createServer(app);
  // Lesson plans' collaborative documents: WebSocket upgrades on /collab, every other path refused.
  tongke.collab.attach(server);
  server.listen(env.PORT, env.HOST, () => {
    port = (server.address() as AddressInfo).port;
  });
  const { db, migration } = await tongke.database;
  // People who lose their place in a pairing are taken out of its live rooms.
  await tongke.live.start();
  // "Ready" means a page can be served: in development the first Remix build too.
  if (typeof build === "function") await build();
  printStatus({ tongke, db, migration, port, startedMs: performance.now() - started });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ready = false;
    console.log(`${signal}: closing — finishing open requests`);
    const force = setTimeout(() => {
      console.warn("Open connections did not finish in 10 s; closing them");
      server.closeAllConnections();
    }, 10_000).unref();
    server.closeIdleConnections();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Every acknowledged edit is stored before the database closes.
    await tongke.collab.close();
    await tongke.live.close();
    await closed;
    clearTimeout(force);
    await db.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function loadBuild(): ServerBuild {
  const stale = require.cache[BUILD_PATH];
  delete require.cache[BUILD_PATH];
  // Node also lists every module it loads in its parent's `children`: without this, every
  // build ever loaded (each rebuild in development) stays reachable from this module.
  if (stale) module.children = module.children.filter((child) => child !== stale);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(BUILD_PATH) as ServerBuild;
}

/**
 * `npm run dev`: `remix watch` rebuilds on every change and the new build is swapped in
 * in-process, keeping the database and open sockets. A previous build, if any, is served
 * until the first rebuild lands, so a restart does not wait for the compiler.
 */
function developmentBuild(starting: Promise<unknown>, watchStarted: boolean): () => Promise<ServerBuild> {
  fs.mkdirSync(path.dirname(BUILD_PATH), { recursive: true });
  let current: ServerBuild | undefined = fs.existsSync(BUILD_PATH) ? loadBuild() : undefined;
  let firstBuild: (build: ServerBuild) => void = () => {};
  const first = new Promise<ServerBuild>((resolve) => (firstBuild = resolve));

  let timer: NodeJS.Timeout | undefined;
  fs.watch(path.dirname(BUILD_PATH), () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!fs.existsSync(BUILD_PATH)) return;
      try {
        current = loadBuild();
        firstBuild(current);
      } catch (error) {
        console.error("Could not load the new build:", error);
      }
    }, 100);
  });

  const watch = () => {
    const watcher = spawn(path.resolve("node_modules/.bin/remix"), ["watch"], { stdio: "inherit" });
    process.on("exit", () => watcher.kill("SIGTERM"));
  };
  // With a previous build to serve, the compiler waits for the database to open: on two
  // cores they would slow each other down.
  // scripts/dev.mjs starts the very first build itself, before this file is even compiled.
  if (watchStarted) return async () => current ?? first;
  if (current) void starting.finally(watch);
  else watch();
  return async () => current ?? first;
}

main().catch((error: unknown) => {
  // A setting to fix is said plainly, without a stack trace.
  console.error(error instanceof EnvError || error instanceof DataDirInUseError ? error.message : error);
  process.exit(1);
});

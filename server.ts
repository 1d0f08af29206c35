import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { parseEnv } from "~/config.server";
import { createHttpApp } from "~/server/http.server";
import { printStatus } from "~/server/status.server";
import { startTongke } from "~/server/tongke.server";

const BUILD_PATH = path.resolve("build/index.js");

async function main() {
  const started = performance.now();
  const env = parseEnv();
  let port = env.PORT;
  const baseUrl = () => `http://127.0.0.1:${port}`;
  const tongke = await startTongke(env, { baseUrl });

  let build = loadBuild();
  if (env.NODE_ENV === "development") watchBuild((next) => (build = next));

  let ready = true;
  const app = createHttpApp({ tongke, build: async () => build, baseUrl, isReady: () => ready });
  const server = app.listen(env.PORT, env.HOST, () => {
    port = (server.address() as AddressInfo).port;
    printStatus({ tongke, port, startedMs: performance.now() - started });
    if (env.NODE_ENV === "development") void broadcastDevReady(build);
  });

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
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearTimeout(force);
    await tongke.db.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function loadBuild(): ServerBuild {
  delete require.cache[BUILD_PATH];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(BUILD_PATH) as ServerBuild;
}

/** `remix dev --manual`: swap the build in-process, keeping the database and sockets open. */
function watchBuild(onBuild: (build: ServerBuild) => void) {
  let timer: NodeJS.Timeout | undefined;
  fs.watch(path.dirname(BUILD_PATH), () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!fs.existsSync(BUILD_PATH)) return;
      const build = loadBuild();
      onBuild(build);
      void broadcastDevReady(build);
    }, 50);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

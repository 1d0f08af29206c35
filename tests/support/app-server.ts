import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { parseEnv } from "../../app/config.server";
import type { DbHandle } from "../../app/db/client.server";
import { createHttpApp } from "../../app/server/http.server";
import { startTongke } from "../../app/server/tongke.server";
import { PRODUCTION_TEST_SECRETS } from "./production-env";

/**
 * The app server as a browser meets it: the real Remix build (run `npm run build` first —
 * `npm test` does) in production mode over `handle`, on a port of its own, with `env` over the
 * defaults. `stop` closes it and removes its data folder.
 */
export async function startAppServer(handle: DbHandle, env: Record<string, string> = {}) {
  const buildFile = path.resolve("build/index.js");
  if (!fs.existsSync(buildFile)) throw new Error("No Remix build: run `npm run build` before the integration tests");
  const build = (await import(buildFile)) as ServerBuild & { default?: ServerBuild };
  fs.mkdirSync(".tmp", { recursive: true });
  const dataDir = fs.mkdtempSync(path.resolve(".tmp", "app-"));
  const parsed = parseEnv({ NODE_ENV: "production", DATA_DIR: dataDir, ...PRODUCTION_TEST_SECRETS, ...env } as NodeJS.ProcessEnv);
  let port = 0;
  const baseUrl = () => `http://127.0.0.1:${port}`;
  const tongke = await startTongke(parsed, { baseUrl, database: Promise.resolve({ db: handle, migration: null }) });
  const app = createHttpApp({ env: parsed, tongke, build: async () => build.default ?? build, baseUrl, isReady: () => true });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return {
    base: baseUrl(),
    /** The embedded Auth and Storage's API keys. */
    anonKey: tongke.supabaseAnonKey,
    serviceRoleKey: tongke.supabaseServiceRoleKey,
    /** The Remix build's routes, for tests that walk every one. */
    routes: (build.default ?? build).routes,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

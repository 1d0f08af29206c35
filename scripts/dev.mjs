// `npm run dev`: compile server.ts with esbuild (a tenth of a second, where tsx takes a
// second) and run it in development mode. From a clean checkout there is no Remix build
// yet: `remix watch` starts first, so the compiler runs while the server and database start.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { buildServer } from "./build-server.mjs";

process.env.NODE_ENV ??= "development";
if (!fs.existsSync("build/index.js")) {
  const watcher = spawn(path.resolve("node_modules/.bin/remix"), ["watch"], { stdio: "inherit" });
  process.on("exit", () => watcher.kill("SIGTERM"));
  process.env.TONGKE_REMIX_WATCH_STARTED = "1";
}
await buildServer();
createRequire(import.meta.url)("../build/server.js");

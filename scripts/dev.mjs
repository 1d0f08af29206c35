// `npm run dev`: compile server.ts with esbuild (a tenth of a second, where tsx takes a
// second) and run it in development mode; server.ts starts `remix watch` itself.
import { createRequire } from "node:module";
import { buildServer } from "./build-server.mjs";

process.env.NODE_ENV ??= "development";
await buildServer();
createRequire(import.meta.url)("../build/server.js");

// Bundles server.ts (and the app modules it imports) into build/server.js; packages stay
// external and load from node_modules. Used by `npm run build` and by `npm run dev`.
import { build } from "esbuild";

export async function buildServer() {
  await build({
    entryPoints: ["server.ts"],
    outfile: "build/server.js",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildServer();

// postinstall: initialise PGlite's template cluster once, so the first `npm run dev` and
// every PGlite test database load it (~2 s) instead of running initdb (~5 s).
// The file name must match app/db/pglite-template.server.ts (a unit test checks it).
import fs from "node:fs";
import path from "node:path";

export const cacheDir = path.resolve("node_modules", ".cache", "tongke");

export function templateFileName() {
  const pkg = JSON.parse(fs.readFileSync(path.resolve("node_modules/@electric-sql/pglite/package.json"), "utf8"));
  return `pglite-initdb-${pkg.version}.tar.gz`;
}

async function main() {
  const file = path.join(cacheDir, templateFileName());
  if (fs.existsSync(file)) return;
  const started = performance.now();
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create();
  const dump = await db.dumpDataDir("gzip");
  await db.close();
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(`${file}.tmp`, file);
  console.log(`PGlite template ready (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Not fatal: without it the first start makes the template itself.
  main().catch((error) => console.warn("Could not prepare the PGlite template:", error));
}

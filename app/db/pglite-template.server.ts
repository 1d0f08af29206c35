import fs from "node:fs";
import path from "node:path";
import { appRoot } from "../config.server";

/**
 * A freshly initialised PGlite cluster, kept as a tarball per PGlite version: initdb costs
 * ~5 s in WebAssembly, loading the tarball ~2 s. Made by `npm install` (postinstall) or by
 * the first start without it; lives in node_modules/.cache, never in the repository.
 */
const CACHE_DIR = path.resolve(appRoot(), "node_modules", ".cache", "tongke");

export function templatePath() {
  return path.join(CACHE_DIR, `pglite-initdb-${pgliteVersion()}.tar.gz`);
}

function pgliteVersion(): string {
  const pkg = path.resolve(CACHE_DIR, "..", "..", "@electric-sql", "pglite", "package.json");
  return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
}

export function readTemplate(): Blob | undefined {
  const file = templatePath();
  return fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : undefined;
}

/** Saves a just-initialised cluster's data directory as the template (before any schema). */
export async function saveTemplate(fresh: { dumpDataDir(compression: "gzip"): Promise<Blob> }): Promise<void> {
  const dump = await fresh.dumpDataDir("gzip");
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${templatePath()}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, templatePath());
}

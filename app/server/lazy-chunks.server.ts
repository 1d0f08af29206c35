import fs from "node:fs";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";

/** The part of Remix's client manifest (`build.assets`) that names each page's files. */
export interface ClientManifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, { module: string; imports?: string[] } | undefined>;
}

const DYNAMIC_IMPORT = /import\("((?:\/build|\.{1,2})\/[^"]+\.js)"\)/g;
const STATIC_IMPORT = /(?:from|import)\s*"((?:\/build|\.{1,2})\/[^"]+\.js)"/g;

/**
 * The chunks a route's module loads later with `import()` (the lesson-plan editor), with what
 * they import statically, less the files the page loads anyway (the entry's, the root's and the
 * route's own). Read from the client build in `publicDir`; [] for a route without any.
 */
export function lazyChunksOf(manifest: ClientManifest, routeId: string, publicDir = "public"): string[] {
  const route = manifest.routes[routeId];
  if (!route) return [];
  const loaded = new Set<string>([manifest.entry.module, ...manifest.entry.imports]);
  for (const id of ["root", routeId]) {
    const r = manifest.routes[id];
    if (r) for (const file of [r.module, ...(r.imports ?? [])]) loaded.add(file);
  }
  const lazy = new Set<string>();
  const follow = (file: string, pattern: RegExp) => {
    const source = fs.readFileSync(path.join(publicDir, file), "utf8");
    for (const [, specifier] of source.matchAll(pattern)) {
      const url = specifier.startsWith("/") ? specifier : path.posix.join(path.posix.dirname(file), specifier);
      if (loaded.has(url) || lazy.has(url)) continue;
      lazy.add(url);
      follow(url, STATIC_IMPORT);
    }
  };
  follow(route.module, DYNAMIC_IMPORT);
  return [...lazy];
}

/**
 * `lazyChunksOf` for the build the server runs, computed once per build of each route (hashed
 * module names change with every rebuild in development). A failure to read the build (no
 * client files) preloads nothing rather than failing the page.
 */
export function lazyChunkFinder(build: ServerBuild | (() => Promise<ServerBuild>), publicDir = "public") {
  const known = new Map<string, string[]>();
  return async (routeId: string): Promise<string[]> => {
    const manifest = (typeof build === "function" ? await build() : build).assets as ClientManifest;
    const module = manifest.routes[routeId]?.module;
    if (!module) return [];
    let chunks = known.get(module);
    if (!chunks) {
      try {
        chunks = lazyChunksOf(manifest, routeId, publicDir);
      } catch (error) {
        console.warn(`lazy chunks of ${routeId}: ${error instanceof Error ? error.message : String(error)}`);
        chunks = [];
      }
      known.set(module, chunks);
    }
    return chunks;
  };
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lazyChunkFinder, lazyChunksOf, type ClientManifest } from "./lazy-chunks.server";

/** A client build as remix build writes it: the route imports the editor with import(). */
const FILES: Record<string, string> = {
  "build/entry.client-A.js": 'import"/build/_shared/react-B.js";',
  "build/_shared/react-B.js": "export const r=1;",
  "build/root-C.js": 'import{r}from"/build/_shared/react-B.js";',
  "build/routes/edit-D.js": 'import{r}from"/build/_shared/react-B.js";const E=()=>import("/build/_shared/editor.client-E.js");',
  "build/_shared/editor.client-E.js": 'import{r}from"/build/_shared/react-B.js";import{y}from"./yjs-F.js";export default 1;',
  "build/_shared/yjs-F.js": "export const y=1;",
  "build/routes/plain-G.js": 'import{r}from"/build/_shared/react-B.js";',
};

const manifest: ClientManifest = {
  entry: { module: "/build/entry.client-A.js", imports: ["/build/_shared/react-B.js"] },
  routes: {
    root: { module: "/build/root-C.js", imports: ["/build/_shared/react-B.js"] },
    "routes/edit": { module: "/build/routes/edit-D.js", imports: ["/build/_shared/react-B.js"] },
    "routes/plain": { module: "/build/routes/plain-G.js" },
  },
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tongke-chunks-"));
  for (const [file, source] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
  }
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("lazyChunksOf", () => {
  it("finds the chunk a route imports later and what that chunk imports, less what the page loads anyway", () => {
    expect(lazyChunksOf(manifest, "routes/edit", dir)).toEqual(["/build/_shared/editor.client-E.js", "/build/_shared/yjs-F.js"]);
  });

  it("finds nothing for a route without import(), or an unknown route", () => {
    expect(lazyChunksOf(manifest, "routes/plain", dir)).toEqual([]);
    expect(lazyChunksOf(manifest, "routes/none", dir)).toEqual([]);
  });
});

describe("lazyChunkFinder", () => {
  it("reads the build once per route module, and preloads nothing when the files are missing", async () => {
    const find = lazyChunkFinder({ assets: manifest } as unknown as ServerBuild, dir);
    expect(await find("routes/edit")).toHaveLength(2);
    fs.rmSync(path.join(dir, "build"), { recursive: true });
    expect(await find("routes/edit")).toHaveLength(2);

    const missing = lazyChunkFinder(async () => ({ assets: manifest }) as unknown as ServerBuild, dir);
    expect(await missing("routes/edit")).toEqual([]);
  });
});

/**
 * `npm run bench`: figures, not tests.
 *  - JavaScript shipped per page (KB gzip), from the client build's manifest;
 *  - `npm run dev` from nothing (no build, empty data directory) to the first served page
 *    and to the database being ready (/healthz 200), then a warm restart;
 *  - the production server (`npm start`) from an empty data directory, and warm.
 * Run `npm run build` first; the dev measurement removes and remakes the build.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { lazyChunksOf } from "../app/server/lazy-chunks.server";

const BUDGET_KB = 150;

function pageJavaScript(routeIds: string[]) {
  const buildDir = path.resolve("public/build");
  const manifestFile = fs.readdirSync(buildDir).find((f) => /^manifest-.*\.js$/.test(f));
  if (!manifestFile) throw new Error("No client build: run `npm run build` first");
  const text = fs.readFileSync(path.join(buildDir, manifestFile), "utf8");
  const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
  const rows: { page: string; files: number; kb: number; lazy?: boolean }[] = [];
  for (const id of routeIds) {
    const files = new Set<string>([manifest.entry.module, ...manifest.entry.imports]);
    for (const routeId of ["root", id]) {
      const route = manifest.routes[routeId];
      files.add(route.module);
      for (const i of route.imports ?? []) files.add(i);
    }
    const bytes = [...files].reduce((sum, url) => sum + gzipSync(fs.readFileSync(path.join("public", url))).length, 0);
    rows.push({ page: id, files: files.size, kb: Math.round(bytes / 102.4) / 10 });
    // Chunks the page loads later with import() (the lesson-plan editor), counted apart.
    const lazy = lazyChunksOf(manifest, id);
    if (lazy.length) {
      const lazyBytes = lazy.reduce((sum, url) => sum + gzipSync(fs.readFileSync(path.join("public", url))).length, 0);
      rows.push({ page: `${id} + after render`, files: lazy.length, kb: Math.round(lazyBytes / 102.4) / 10, lazy: true });
    }
  }
  return rows;
}

/** Seconds from launch to the first served page and to a ready database. */
async function timeToFirstPage(command: string[], env: NodeJS.ProcessEnv, port: number) {
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: "ignore",
    detached: true,
  });
  const until = async (path: string) => {
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        await response.text();
        if (response.ok) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${command.join(" ")}: no answer from ${path} within 180 s`);
  };
  try {
    const page = await until("/login");
    const database = await until("/healthz");
    // Let a dev rebuild started by the launch finish before the next measurement.
    await new Promise((r) => setTimeout(r, env.NODE_ENV === "development" ? 5_000 : 0));
    return { page, database };
  } finally {
    await stop(child);
  }
}

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    process.kill(-child.pid!, "SIGTERM");
  });
}

async function main() {
  console.log("JavaScript per page (gzip):");
  for (const row of pageJavaScript([
    "routes/login",
    "routes/_index",
    "routes/schools._index",
    "routes/profile",
    "routes/lesson-plans.$planId._index",
    "routes/lesson-plans.$planId.edit",
    "routes/live.$sessionId.room",
  ])) {
    const verdict = row.lazy
      ? "(loaded once the page is shown and readable; cached for a year)"
      : `${row.kb <= BUDGET_KB ? "(within" : "(OVER"} ${BUDGET_KB} KB budget)`;
    console.log(`  ${row.page.padEnd(36)} ${String(row.kb).padStart(6)} KB in ${row.files} files ${verdict}`);
  }
  const dataDir = path.resolve(".tmp/bench-data");
  const show = (t: { page: number; database: number }) => `first page ${t.page.toFixed(2)} s, database ready ${t.database.toFixed(2)} s`;
  for (const [label, command, env] of [
    // Production refuses livekit-server --dev's public keys; no LiveKit server is measured here.
    [
      "npm start",
      ["node", "build/server.js"],
      {
        NODE_ENV: "production",
        LIVEKIT_API_KEY: "APIbench",
        LIVEKIT_API_SECRET: "bench-livekit-secret-0123456789abcdef",
        COOKIE_SECRET: "bench-cookie-secret-0123456789",
      },
    ],
    ["npm run dev", ["npm", "run", "dev"], { NODE_ENV: "development" }],
  ] as const) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (label === "npm run dev") {
      fs.rmSync("build", { recursive: true, force: true });
      fs.rmSync("public/build", { recursive: true, force: true });
    }
    const cold = await timeToFirstPage([...command], { ...env, DATA_DIR: dataDir }, 3950);
    const warm = await timeToFirstPage([...command], { ...env, DATA_DIR: dataDir }, 3950);
    console.log(
      `${label.padEnd(11)} cold (${label === "npm start" ? "empty data directory" : "no build, empty data directory"}): ${show(cold)}`,
    );
    console.log(`${label.padEnd(11)} warm restart: ${show(warm)}`);
    if (label === "npm run dev") {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const emptyData = await timeToFirstPage([...command], { ...env, DATA_DIR: dataDir }, 3950);
      console.log(`${label.padEnd(11)} cold (empty data directory, previous build): ${show(emptyData)}`);
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  // The dev server's watcher left a development build: make the production one again.
  spawnSync("npm", ["run", "build"], { stdio: "ignore" });
}

void main();

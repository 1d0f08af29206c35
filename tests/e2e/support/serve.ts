/**
 * Starts the built portal for the browser tests, from nothing: a fresh PGlite directory,
 * or a freshly created database on the PostgreSQL server (dropped again on exit).
 * Usage: tsx tests/e2e/support/serve.ts pglite|postgres PORT
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createServerDatabase, dropServerDatabase } from "../../support/database";
import { E2E_LIVEKIT } from "./livekit";

const [db, port] = process.argv.slice(2);
const dataDir = path.resolve(`.tmp/e2e-${db}-${port}`);
const dbName = `tongke_e2e_${port}`;

async function main() {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: port,
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    // The invitation journey reads its mail from the embedded outbox.
    TONGKE_DEV_OUTBOX: "true",
    // The browser opens 127.0.0.1; mail links must point at the same host for its cookies.
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // No LiveKit server runs here: the classroom meets an unreachable one, and the test signs
    // LiveKit's webhooks itself with this key.
    ...E2E_LIVEKIT,
    COOKIE_SECRET: "e2e-cookie-secret-0123456789",
  };
  if (db === "postgres") {
    const url = await createServerDatabase(dbName);
    Object.assign(env, { DATABASE_URL: url, DB_MIGRATE_ON_START: "true", DB_SEED: "true" });
  }
  const child = spawn(process.execPath, ["build/server.js"], { env, stdio: "inherit" });
  const stop = () => child.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  child.on("exit", async (code) => {
    if (db === "postgres") await dropServerDatabase(dbName).catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(code ?? 0);
  });
}

void main();

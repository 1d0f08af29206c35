/**
 * Starts the built portal for the browser tests, from nothing: a fresh PGlite directory,
 * or a freshly created database on the PostgreSQL server (dropped again on exit).
 * Usage: tsx tests/e2e/support/serve.ts pglite|postgres PORT
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";

const [db, port] = process.argv.slice(2);
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
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
  };
  if (db === "postgres") {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    Object.assign(env, { DATABASE_URL: url.toString(), DB_MIGRATE_ON_START: "true", DB_SEED: "true" });
  }
  const child = spawn(process.execPath, ["build/server.js"], { env, stdio: "inherit" });
  const stop = () => child.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  child.on("exit", async (code) => {
    if (db === "postgres") {
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
      await admin.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(code ?? 0);
  });
}

void main();

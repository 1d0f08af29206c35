import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createServerDatabase, dropServerDatabase, testDbTarget } from "../support/database";
import { PRODUCTION_TEST_SECRETS } from "../support/production-env";

/**
 * `npm start` as an operator meets it: the built server (run `npm run build` first) from an
 * empty data directory — or a new PostgreSQL database on the postgres leg — then a warm
 * restart, and graceful shutdown on SIGTERM.
 */
fs.mkdirSync(".tmp", { recursive: true });
const dataDir = fs.mkdtempSync(path.resolve(".tmp", "server-"));
const dbName = `tongke_proc_${process.pid}`;

async function databaseEnv(): Promise<Record<string, string>> {
  if (testDbTarget !== "postgres") return {};
  return { DATABASE_URL: await createServerDatabase(dbName), DB_MIGRATE_ON_START: "true", DB_SEED: "true" };
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  url: string;
}

async function start(extraEnv: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ["build/server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ...PRODUCTION_TEST_SECRETS,
      ...extraEnv,
    },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const match = /ready at http:\/\/localhost:(\d+)/.exec(output);
    if (match) return { child, output: () => output, url: `http://127.0.0.1:${match[1]}` };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`The server did not start:\n${output}`);
}

function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.once("exit", (code) => resolve(code));
    running.child.kill("SIGTERM");
  });
}

afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (testDbTarget === "postgres") await dropServerDatabase(dbName);
});

describe("the built server", () => {
  it("starts from nothing with demo data, restarts warm without re-seeding, and shuts down gracefully", async () => {
    const env = await databaseEnv();
    const first = await start(env);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const out = first.output();
    expect(out).toContain("Migrations: applied 20261128000100_schema_v1.sql");
    // Production logs carry no keys: the service_role key bypasses every policy.
    expect(out).toContain("keys: not printed outside development");
    expect(out).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(out).toContain("teacher.leiwuqi@example.com");
    const login = await fetch(`${first.url}/login`);
    expect(login.status).toBe(200);
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain("SIGTERM: closing");

    const second = await start(env);
    expect((await fetch(`${second.url}/login`)).status).toBe(200);
    expect(second.output()).not.toContain("Migrations: applied");
    expect(second.output()).not.toContain("Demo accounts");
    expect(await stop(second)).toBe(0);
  }, 120_000);

  it("refuses to start in production with LiveKit's development credentials, saying what to set", async () => {
    for (const livekit of [
      { LIVEKIT_API_KEY: "", LIVEKIT_API_SECRET: "" },
      { LIVEKIT_API_KEY: "devkey", LIVEKIT_API_SECRET: "secret" },
    ]) {
      const child = spawn(process.execPath, ["build/server.js"], {
        env: {
          ...process.env,
          NODE_ENV: "production",
          PORT: "0",
          HOST: "127.0.0.1",
          DATA_DIR: dataDir,
          COOKIE_SECRET: PRODUCTION_TEST_SECRETS.COOKIE_SECRET,
          ...livekit,
        },
      });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      expect(code).toBe(1);
      expect(output).toContain(
        "NODE_ENV=production needs your LiveKit server's own credentials: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET",
      );
      expect(output).not.toContain("ready at");
      expect(output).not.toContain("    at ");
    }
  });

  it.skipIf(testDbTarget === "postgres")(
    "takes the embedded data folder for itself: a second instance stops at once, a restart after a kill does not",
    async () => {
      const folder = fs.mkdtempSync(path.resolve(".tmp", "server-lock-"));
      try {
        const first = await start({ DATA_DIR: folder, DB_SEED: "false" });
        const second = spawn(process.execPath, ["build/server.js"], {
          env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DATA_DIR: folder, ...PRODUCTION_TEST_SECRETS },
        });
        let output = "";
        second.stdout.on("data", (chunk) => (output += chunk));
        second.stderr.on("data", (chunk) => (output += chunk));
        expect(await new Promise<number | null>((resolve) => second.once("exit", resolve))).toBe(1);
        expect(output).toContain(`Another Tongke instance is using the data folder ${folder} (process ${first.child.pid}, started `);
        expect(output).not.toContain("ready at");
        expect((await fetch(`${first.url}/healthz`)).status).toBe(200);

        first.child.kill("SIGKILL");
        await new Promise((resolve) => first.child.once("exit", resolve));
        const restarted = await start({ DATA_DIR: folder, DB_SEED: "false" });
        expect((await fetch(`${restarted.url}/healthz`)).status).toBe(200);
        expect(await stop(restarted)).toBe(0);
        expect(fs.existsSync(path.join(folder, "tongke.lock"))).toBe(false);
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it.skipIf(testDbTarget === "postgres")(
    "in development says it is ready only once a page can be served: after the database and the first Remix build",
    async () => {
      // A checkout with no Remix build yet, as `npm run dev` meets it after `remix watch` started.
      const folder = fs.mkdtempSync(path.resolve(".tmp", "server-dev-"));
      fs.symlinkSync(path.resolve("node_modules"), path.join(folder, "node_modules"), "dir");
      const port = await freePort();
      const child = spawn(process.execPath, [path.resolve("build/server.js")], {
        cwd: folder,
        env: {
          ...process.env,
          NODE_ENV: "development",
          TONGKE_REMIX_WATCH_STARTED: "1",
          TONGKE_ROOT: process.cwd(),
          PORT: String(port),
          HOST: "127.0.0.1",
          DATA_DIR: path.join(folder, "data"),
          DB_SEED: "false",
        },
      });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      const url = `http://127.0.0.1:${port}`;
      try {
        // The database is open (healthz 200); a page asked for now waits for the build.
        await expect
          .poll(
            () =>
              fetch(`${url}/healthz`).then(
                (r) => r.status,
                () => 0,
              ),
            { timeout: 60_000 },
          )
          .toBe(200);
        const page = fetch(`${url}/login`).then(
          (r) => r.status,
          (error: unknown) => error,
        );
        for (let i = 0; i < 3; i++) expect((await fetch(`${url}/healthz`)).status).toBe(200);
        expect(output).not.toContain("ready at");

        fs.mkdirSync(path.join(folder, "build"), { recursive: true });
        fs.copyFileSync(path.resolve("build/index.js"), path.join(folder, "build", "index.js"));
        expect(await page).toBe(200);
        await expect.poll(() => output, { timeout: 10_000 }).toContain(`ready at http://localhost:${port}`);
      } finally {
        child.kill("SIGKILL");
        await new Promise((resolve) => child.once("exit", resolve));
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

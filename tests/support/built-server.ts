import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { TEST_JWT_SECRET } from "./collab";
import { PRODUCTION_TEST_SECRETS } from "./production-env";

export interface BuiltServer {
  child: ChildProcessWithoutNullStreams;
  /** The collaboration endpoint. */
  url: string;
  /** Everything the process printed so far. */
  output(): string;
}

/**
 * The built production server (`npm run build` first) in its own process, migrated and not
 * seeded, verifying the test JWT secret: on PostgreSQL with `databaseUrl`, else on PGlite in
 * `dataDir`.
 */
export async function startBuiltServer(options: { dataDir: string; databaseUrl?: string; timeoutMs?: number }): Promise<BuiltServer> {
  const child = spawn(process.execPath, ["build/server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: options.dataDir,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      DB_MIGRATE_ON_START: "true",
      DB_SEED: "false",
      SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
      ...PRODUCTION_TEST_SECRETS,
    },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    const match = /ready at http:\/\/localhost:(\d+)/.exec(output);
    if (match) return { child, url: `ws://127.0.0.1:${match[1]}/collab`, output: () => output };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`The server did not start:\n${output}`);
}

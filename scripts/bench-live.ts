/**
 * `npm run bench:live`: how long the classroom's join-token endpoint takes, not a test.
 * POST /api/live-sessions/<id>/token as Remix calls it — session cookie read and the
 * access token verified, the session and the caller's role read through RLS, the LiveKit
 * token signed — for a main teacher, a receiving teacher and an observer, on a fresh
 * in-memory PGlite and, when a server answers, a fresh PostgreSQL database. 300 requests
 * per database after 20 warm-up ones; median, p95 and p99.
 */
import { createLocalKeys } from "../app/auth/keys.server";
import { openDatabase, type DbHandle } from "../app/db/client.server";
import { migrate } from "../app/db/migrate.server";
import { createLiveRooms } from "../app/live/rooms.server";
import { action } from "../app/routes/api.live-sessions.$sessionId.token";
import { createAuthServers } from "../tests/support/auth-server";
import { createServerDatabase, dropServerDatabase, postgresServerAvailable } from "../tests/support/database";
import { createLiveSessionWorld, slot } from "../tests/support/live-session-world";
import { routeContext, sessionCookieFor } from "../tests/support/route-session";

const RUNS = 300;
const WARMUP = 20;
const JWT_SECRET = "tongke-bench-live-secret-0123456789abcdef-long";

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function bench(label: string, handle: DbHandle) {
  await migrate(handle, { seed: false });
  const keys = await createLocalKeys(JWT_SECRET);
  const auth = createAuthServers(() => ({ handle, jwtSecret: JWT_SECRET, ...keys }));
  const url = await auth.serve();
  const live = createLiveRooms({
    database: Promise.resolve({ db: handle }),
    config: { url: "ws://localhost:7880", apiKey: "devkey", apiSecret: "secret" },
  });
  // The endpoint allows 30 requests a minute per user by default; the bench asks far faster.
  const context = routeContext({
    handle,
    auth: { url, jwtSecret: JWT_SECRET, ...keys },
    env: { LIVEKIT_TOKEN_RATE_PER_MINUTE: "100000" },
    extra: { live },
  });
  try {
    const w = await createLiveSessionWorld(handle);
    const sessionId = await w.scheduleOne(slot(1, "09:00", "09:45"));
    const personas = ["mainA", "receivingB", "coordinatorY"] as const;
    const cookies = await Promise.all(personas.map((p) => sessionCookieFor(handle, { url, anonKey: keys.anonKey }, w.users[p])));
    const times: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const request = new Request(`http://bench.test/api/live-sessions/${sessionId}/token`, {
        method: "POST",
        headers: { cookie: cookies[i % cookies.length] },
      });
      const started = performance.now();
      const response = (await action({ request, context, params: { sessionId } })) as Response;
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`token request answered ${response.status}`);
      await response.arrayBuffer();
      if (i >= WARMUP) times.push(elapsed);
    }
    times.sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(
      `${label.padEnd(10)} POST /api/live-sessions/:id/token  p50 ${ms(quantile(times, 0.5))}  p95 ${ms(quantile(times, 0.95))}  p99 ${ms(quantile(times, 0.99))}  (${RUNS} requests, 3 roles)`,
    );
  } finally {
    await auth.close();
  }
}

async function main() {
  const pglite = await openDatabase({ pgliteDir: "memory://" });
  await bench("PGlite", pglite);
  await pglite.close();
  if (await postgresServerAvailable()) {
    const name = `tongke_bench_live_${process.pid}`;
    const databaseUrl = await createServerDatabase(name);
    const postgres = await openDatabase({ databaseUrl });
    try {
      await bench("PostgreSQL", postgres);
    } finally {
      await postgres.close();
      await dropServerDatabase(name);
    }
  } else {
    console.log("PostgreSQL: no server answered; skipped");
  }
}

void main();

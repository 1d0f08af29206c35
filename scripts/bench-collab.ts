/**
 * `npm run bench:collab`: how the lesson plans' collaboration server behaves under several
 * editors, next to a bare Hocuspocus server on the same machine — figures, not a test.
 *
 * For each scenario (1 document × 2, 20 and 50 clients; 100 documents × 2 clients) and each
 * server, in one run:
 *  - the server runs in its own process: "bare" is Hocuspocus's Server (no auth, no
 *    persistence); "tongke" is createCollab on a plain http.Server over a fresh migrated
 *    database (in-memory PGlite; TEST_DB=postgres for a PostgreSQL server), every client
 *    signed in as the plan's lead author or co-author, with the default debounce (5 s / 30 s) and update log;
 *  - the clients are real providers, several per process in up to 4 processes, each with its
 *    own WebSocket; each types a word every 200–500 ms (400–900 ms with 50 clients), and
 *    every edit carries its send time, so each other client records how long it took to
 *    arrive (all processes share the machine's clock);
 *  - lost updates: edits of a client that never reached another client of its document
 *    (waiting up to 20 s after the typing stops); for tongke, also edits missing from the
 *    database after a flush;
 *  - RSS per connection: the server's RSS once every client is connected and synced, minus
 *    its RSS before the first connection (after a warm-up client has come and gone), both
 *    read after full GCs once RSS stops moving, divided by the connections. The server runs
 *    with a fixed-size young generation so that V8 resizing it does not read as memory
 *    taken or freed by the connections.
 *
 * The details table also gives "saved": from an edit to the server's acknowledgement of it, as
 * the editor's sync state shows it; with tongke's update log that waits for the insert
 * (decision 007), with bare Hocuspocus it does not.
 *
 * Send and arrival times come from performance.now() anchored to the system clock in each
 * process (see protocol.ts); the details table also shows each server's CPU share and
 * event-loop delay while the clients typed, and the machine's load average: on a shared
 * machine the latencies move with the neighbours' load.
 *
 * Each scenario runs in several rounds (default 3), the servers' order alternating from round
 * to round; the table gives the median of the rounds' p50/p95/p99 and RSS per connection and
 * the sum of their losses, and the verdict compares medians. One round's p95 moves with the
 * neighbours' load by more than the 1.25 × margin (bare's own p95 moved 2–5 × between runs),
 * so a single round is no verdict.
 *
 * Targets: p95 ≤ 1.25 × bare's at each size, 0 lost updates, ≤ 250 KB RSS per connection
 * (judged from 20 connections up: with 2, the per-connection share is below what the RSS
 * reading can resolve). Always exits 0 when the run completes; misses are listed under the table.
 *
 * Options (after `npm run bench:collab --`): --seconds N (typing time per scenario, default
 * 12), --rounds N (default 3), --scenarios 2,20,50,100x2 ("N": one document, N clients; "DxN": D documents × N
 * clients), --servers bare,tongke. BENCH_COLLAB_SERVER_ARGS adds Node options to the server
 * processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/collab-prof" to see where a server spends
 * its time.
 */
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { now, type ClientReply, type ClientRequest, type ServerKind, type ServerReply, type ServerRequest } from "./bench-collab/protocol";

interface Scenario {
  key: string;
  label: string;
  documents: number;
  clientsPerDocument: number;
  processes: number;
  interval: [number, number];
}

/** "N" is one document with N clients, "DxN" D documents with N clients each. */
function scenario(key: string): Scenario {
  const [documents, clientsPerDocument] = key.includes("x") ? key.split("x").map(Number) : [1, Number(key)];
  if (!(documents >= 1 && clientsPerDocument >= 2)) throw new Error(`Not a scenario: ${key} (e.g. 20 or 100x2)`);
  const connections = documents * clientsPerDocument;
  return {
    key,
    label: `${documents} doc${documents === 1 ? "" : "s"} × ${clientsPerDocument} clients`,
    documents,
    clientsPerDocument,
    processes: Math.min(connections, 4),
    // Fewer edits per client when every edit goes to 50 others.
    interval: clientsPerDocument >= 50 ? [400, 900] : [200, 500],
  };
}

const P95_FACTOR = 1.25;
const RSS_BUDGET_KB = 250;
/** Below this many connections the RSS per connection is not judged (see above). */
const RSS_JUDGED_FROM = 20;
const DRAIN_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 180_000;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seconds = Number(option("seconds") ?? 12);
const rounds = Math.max(1, Number(option("rounds") ?? 3));
const scenarios = (option("scenarios") ?? "2,20,50,100x2").split(",").map(scenario);
const servers = (option("servers")?.split(",") ?? ["bare", "tongke"]) as ServerKind[];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A forked tsx process that answers requests over IPC, one reply type at a time. */
class Child<Request, Reply extends { type: string }> {
  readonly process: ChildProcess;
  private waiting: { type: string; resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  private exited: Promise<void>;

  constructor(
    readonly name: string,
    file: string,
    args: string[] = [],
    execArgv: string[] = [],
  ) {
    this.process = fork(path.resolve(__dirname, "bench-collab", file), args, {
      execArgv: [
        "--import",
        "tsx",
        ...execArgv,
        ...(process.env.BENCH_CPU_PROF && file === "serve.ts" ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.process.on("message", (reply: Reply) => {
      if (reply.type === "error") {
        for (const w of this.waiting.splice(0)) w.reject(new Error(`${name}: ${(reply as { message?: string }).message}`));
        return;
      }
      const i = this.waiting.findIndex((w) => w.type === reply.type);
      if (i >= 0) this.waiting.splice(i, 1)[0].resolve(reply);
    });
    this.exited = new Promise((resolve) =>
      this.process.on("exit", (code, signal) => {
        for (const w of this.waiting.splice(0)) w.reject(new Error(`${name} exited (${signal ?? code})`));
        resolve();
      }),
    );
  }

  request<T extends Reply["type"]>(message: Request, replyType: T): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no "${replyType}" within ${REQUEST_TIMEOUT_MS / 1000} s`)),
        REQUEST_TIMEOUT_MS,
      );
      this.waiting.push({
        type: replyType,
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply as Extract<Reply, { type: T }>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.send(message as object);
    });
  }

  tell(message: Request) {
    if (this.process.connected) this.process.send(message as object);
  }

  /** Asks the process to finish, and kills it if it has not within 10 s. */
  async end(message: Request) {
    this.tell(message);
    const killer = setTimeout(() => this.process.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(killer);
  }
}

interface Result {
  scenario: Scenario;
  server: ServerKind;
  connections: number;
  edits: number;
  deliveries: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  lost: number;
  lostStored?: number;
  negative: number;
  rssBefore: number;
  rssSynced: number;
  rssEnd: number;
  /** The JavaScript heap's share of the growth, for comparison. */
  heapPerConnection: number;
  connectMs: number;
  setupMs: number;
  /** From an edit to its acknowledgement ("saved"): with the update log, after the insert. */
  savedP50: number;
  savedP95: number;
  /** The machine's 1-minute load average when the run started. */
  load: number;
  /** CPU time over wall time while the clients typed (1 = one core busy). */
  serverCpu: number;
  clientCpu: number;
  /** The server's event-loop delay while the clients typed. */
  loopDelayP99: number;
  loopDelayMax: number;
  error?: string;
}

function percentile(sorted: number[], q: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

async function run(scenario: Scenario, kind: ServerKind): Promise<Result> {
  const connections = scenario.documents * scenario.clientsPerDocument;
  const load = os.loadavg()[0];
  // A young generation of fixed size: V8 grows and shrinks it with the allocation rate, by
  // tens of MB, which would otherwise read as memory taken or freed by the connections.
  const server = new Child<ServerRequest, ServerReply>(
    `${kind} server`,
    `${kind}-server.ts`,
    [],
    [
      "--expose-gc",
      "--min-semi-space-size=16",
      "--max-semi-space-size=16",
      ...(process.env.BENCH_COLLAB_SERVER_ARGS?.split(" ").filter(Boolean) ?? []),
    ],
  );
  const workers = Array.from(
    { length: Math.min(scenario.processes, connections) },
    (_, i) => new Child<ClientRequest, ClientReply>(`clients ${i + 1}`, "client.ts"),
  );
  try {
    const ready = await server.request(
      { type: "setup", documents: scenario.documents, clientsPerDocument: scenario.clientsPerDocument },
      "ready",
    );
    // Warm the server up (code paths, a first load and store), let it unload that document,
    // then read the baseline.
    await workers[0].request(
      { type: "warmup", url: ready.url, client: { id: -1, document: ready.warmup.name, token: ready.warmup.tokens[0] }, edits: 20 },
      "warmed",
    );
    await sleep(1_500);
    const before = await server.request({ type: "usage", gc: true }, "usage");

    // Client g edits document g / clientsPerDocument from process g % processes: the clients
    // of a document are spread over different processes.
    const specs = workers.map(() => [] as { id: number; document: string; token: string }[]);
    for (let g = 0; g < connections; g++) {
      const document = ready.documents[Math.floor(g / scenario.clientsPerDocument)];
      specs[g % workers.length].push({ id: g, document: document.name, token: document.tokens[g % scenario.clientsPerDocument] });
    }
    const connectStarted = performance.now();
    await Promise.all(workers.map((w, i) => w.request({ type: "connect", url: ready.url, clients: specs[i] }, "synced")));
    const connectMs = performance.now() - connectStarted;
    await sleep(1_000);
    const synced = await server.request({ type: "usage", gc: true }, "usage");

    const plan = {
      startAt: now() + 500,
      durationMs: seconds * 1_000,
      minIntervalMs: scenario.interval[0],
      maxIntervalMs: scenario.interval[1],
    };
    const typingStarted = await server.request({ type: "usage", gc: false, reset: true }, "usage");
    const sent = await Promise.all(workers.map((w) => w.request({ type: "edit", plan }, "sent")));
    const typingEnded = await server.request({ type: "usage", gc: false }, "usage");
    const typingMs = typingEnded.at - typingStarted.at;
    const byId = Object.assign({}, ...sent.map((s) => s.counts)) as Record<number, number>;
    const expected: Record<string, Record<number, number>> = {};
    const perDocument: Record<string, number> = {};
    for (let g = 0; g < connections; g++) {
      const name = ready.documents[Math.floor(g / scenario.clientsPerDocument)].name;
      (expected[name] ??= {})[g] = byId[g] ?? 0;
      perDocument[name] = (perDocument[name] ?? 0) + (byId[g] ?? 0);
    }
    const received = await Promise.all(
      workers.map((w) => w.request({ type: "expect", expected, timeoutMs: DRAIN_TIMEOUT_MS }, "received")),
    );
    const stored = kind === "tongke" ? await server.request({ type: "stored", expected: perDocument }, "stored") : undefined;
    const end = await server.request({ type: "usage", gc: true }, "usage");

    const latencies = received.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const acks = received.flatMap((r) => r.acks).sort((a, b) => a - b);
    return {
      scenario,
      server: kind,
      connections,
      edits: Object.values(byId).reduce((a, b) => a + b, 0),
      deliveries: latencies.length,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      p99: percentile(latencies, 0.99),
      max: latencies[latencies.length - 1] ?? NaN,
      savedP50: percentile(acks, 0.5),
      savedP95: percentile(acks, 0.95),
      lost: received.reduce((sum, r) => sum + r.missing, 0),
      lostStored: stored?.missing,
      negative: received.reduce((sum, r) => sum + r.negative, 0),
      rssBefore: before.rss,
      rssSynced: synced.rss,
      rssEnd: end.rss,
      heapPerConnection: (synced.heapUsed - before.heapUsed) / connections,
      connectMs,
      setupMs: ready.setupMs,
      load,
      serverCpu: (typingEnded.cpuMs - typingStarted.cpuMs) / typingMs,
      loopDelayP99: typingEnded.loopDelayP99,
      loopDelayMax: typingEnded.loopDelayMax,
      clientCpu: sent.reduce((sum, s) => sum + s.cpuMs, 0) / typingMs,
    };
  } catch (error) {
    return {
      scenario,
      server: kind,
      connections,
      edits: 0,
      deliveries: 0,
      p50: NaN,
      p95: NaN,
      p99: NaN,
      max: NaN,
      savedP50: NaN,
      savedP95: NaN,
      lost: NaN,
      negative: 0,
      rssBefore: NaN,
      rssSynced: NaN,
      rssEnd: NaN,
      heapPerConnection: NaN,
      connectMs: NaN,
      setupMs: NaN,
      load,
      serverCpu: NaN,
      clientCpu: NaN,
      loopDelayP99: NaN,
      loopDelayMax: NaN,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await Promise.all(workers.map((w) => w.end({ type: "close" })));
    await server.end({ type: "stop" });
  }
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "–");
const kb = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(0) : "–");
const pct = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : "–");
const rssPerConnection = (r: Result) => (r.rssSynced - r.rssBefore) / r.connections;

const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One scenario and server over its rounds: medians of the figures, the sum of the losses. */
function combine(rounds: Result[]): Result & { rounds: number[] } {
  const first = rounds[0];
  const failed = rounds.find((r) => r.error);
  const sum = (values: (number | undefined)[]) => values.reduce<number>((total, v) => total + (v ?? 0), 0);
  const perConnection = median(rounds.map(rssPerConnection));
  return {
    ...first,
    p50: median(rounds.map((r) => r.p50)),
    p95: median(rounds.map((r) => r.p95)),
    p99: median(rounds.map((r) => r.p99)),
    lost: sum(rounds.map((r) => r.lost)),
    lostStored: first.lostStored === undefined ? undefined : sum(rounds.map((r) => r.lostStored)),
    // rssPerConnection() of the combined result is the rounds' median.
    rssBefore: 0,
    rssSynced: perConnection * first.connections,
    error: failed?.error,
    rounds: rounds.map((r) => r.p95),
  };
}

/** The targets a result misses (bare is the baseline: only its losses count). */
function misses(r: Result, bare: Result | undefined): string[] {
  if (r.error) return [`failed: ${r.error}`];
  const found: string[] = [];
  if (r.lost > 0) found.push(`${r.lost} lost update${r.lost === 1 ? "" : "s"}`);
  if (r.lostStored) found.push(`${r.lostStored} edit${r.lostStored === 1 ? "" : "s"} missing from the database after a flush`);
  if (r.server === "bare") return found;
  if (bare && !bare.error && r.p95 > P95_FACTOR * bare.p95) {
    found.push(`p95 ${ms(r.p95)} ms > ${P95_FACTOR} × bare ${ms(bare.p95)} ms = ${ms(P95_FACTOR * bare.p95)} ms`);
  }
  if (r.connections >= RSS_JUDGED_FROM && rssPerConnection(r) > RSS_BUDGET_KB * 1024)
    found.push(`${kb(rssPerConnection(r))} KB RSS per connection > ${RSS_BUDGET_KB} KB`);
  return found;
}

async function main() {
  const started = performance.now();
  console.log(
    `Collaboration benchmark: ${seconds} s of typing per scenario; servers: ${servers.join(", ")}; scenarios: ${scenarios
      .map((s) => s.label)
      .join(", ")}\n`,
  );
  const runs: Result[] = [];
  for (const scenario of scenarios) {
    for (let round = 0; round < rounds; round++) {
      // Alternate the order so that neither server always runs first (warm caches, load).
      for (const kind of round % 2 ? [...servers].reverse() : servers) {
        process.stdout.write(`… ${scenario.label}, ${kind}, round ${round + 1}/${rounds}: `);
        const result = await run(scenario, kind);
        runs.push(result);
        console.log(
          result.error
            ? `FAILED (${result.error})`
            : `${result.edits} edits, ${result.deliveries} deliveries, p95 ${ms(result.p95)} ms, ${result.lost} lost`,
        );
      }
    }
  }
  const results = scenarios.flatMap((scenario) =>
    servers.map((kind) => combine(runs.filter((r) => r.scenario === scenario && r.server === kind))),
  );

  const lines = [
    `| scenario | server | p50 ms | p95 ms | p99 ms | p95 per round | lost | RSS/conn KB | verdict |`,
    `|---|---|---:|---:|---:|---|---:|---:|---|`,
  ];
  const missed: string[] = [];
  for (const r of results) {
    const bare = results.find((b) => b.scenario === r.scenario && b.server === "bare");
    const found = misses(r, bare);
    for (const miss of found) missed.push(`${r.scenario.label}, ${r.server}: ${miss}`);
    const verdict = found.length
      ? `MISS (${found.length})`
      : r.server === "bare"
        ? "baseline"
        : bare
          ? "ok"
          : "ok (no bare run to compare p95)";
    const lost = Number.isFinite(r.lost) ? `${r.lost}${r.lostStored !== undefined ? ` (${r.lostStored} stored)` : ""}` : "–";
    lines.push(
      `| ${r.scenario.label} | ${r.server} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.rounds.map(ms).join(" / ")} | ${lost} | ${kb(rssPerConnection(r))} | ${verdict} |`,
    );
  }
  console.log(`\n${lines.join("\n")}\n`);
  console.log(`(medians of ${rounds} round${rounds === 1 ? "" : "s"}; lost: the rounds' sum)\n`);
  console.log(
    `Targets: p95 ≤ ${P95_FACTOR} × bare at each size, 0 lost updates (lost = edits that never reached another client of ` +
      `the document; "stored" = edits missing from the database after a flush), ≤ ${RSS_BUDGET_KB} KB RSS per connection.\n`,
  );

  const details = [
    `| scenario | server | load | connections | edits | deliveries | max ms | saved p50/p95 ms | server CPU | server loop delay p99/max ms | clients CPU | setup s | connect+sync s | RSS before MB | RSS synced MB | RSS end MB | heap/conn KB |`,
    `|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...runs.map(
      (r) =>
        `| ${r.scenario.label} | ${r.server} | ${r.load.toFixed(1)} | ${r.connections} | ${r.edits} | ${r.deliveries} | ${ms(r.max)} | ${ms(r.savedP50)} / ${ms(r.savedP95)} | ${pct(r.serverCpu)} | ${ms(r.loopDelayP99)} / ${ms(r.loopDelayMax)} | ${pct(r.clientCpu)} | ${(r.setupMs / 1000).toFixed(1)} | ${(
          r.connectMs / 1000
        ).toFixed(
          1,
        )} | ${(r.rssBefore / 2 ** 20).toFixed(1)} | ${(r.rssSynced / 2 ** 20).toFixed(1)} | ${(r.rssEnd / 2 ** 20).toFixed(1)} | ${kb(r.heapPerConnection)} |`,
    ),
  ];
  console.log(`${details.join("\n")}\n`);
  console.log(
    `load: the machine's 1-minute load average as the run started (${os.cpus().length} cores; ${os.loadavg()[0].toFixed(1)} at the end). ` +
      `CPU: CPU time / wall time while the clients typed (100 % = one core busy). Loop delay: how late the server's ` +
      `event loop ran (CPU work or waiting for a core) while the clients typed.\n`,
  );
  const skewed = runs.reduce((sum, r) => sum + r.negative, 0);
  if (skewed) console.log(`(${skewed} deliveries measured below 0 ms — clock skew between processes — counted as 0 ms.)\n`);

  if (missed.length) {
    console.log(`TARGETS MISSED (${missed.length}):`);
    for (const line of missed) console.log(`  ✗ ${line}`);
  } else {
    console.log("All targets met.");
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * `npm run bench:soak`: does the production server give memory back under steady load? Not a
 * test: it prints what it measured and a verdict, and exits 0 either way.
 *
 * It starts the production build as `npm start` does (`node build/server.js`; run
 * `npm run build` first) on a free port, from a fresh data directory under .tmp/ — embedded
 * PGlite, created and seeded with the demo data — or, with `--db postgres`, on a fresh database
 * on the PostgreSQL server (TEST_DATABASE_URL or 127.0.0.1:5432, dropped afterwards) with
 * DB_MIGRATE_ON_START and DB_SEED. Demo users sign in through POST /login; then `--connections`
 * (20) keep-alive clients ask for the main pages for `--minutes` (10): home, the directory,
 * pairings, a pairing's workspace and plan list, the week view, notifications, the
 * coordinator's dashboard, and /login signed out.
 *
 * Every `--interval` seconds (10) it reads the server's RSS from /proc/<pid>/status and its
 * V8 heap after a full collection (the server runs with --expose-gc and
 * TONGKE_MEMORY_PROBE=1, which opens GET /healthz?memory=1), and the interval's requests per
 * second and p50/p95 latency. Verdict: RSS at the end within 20 % of RSS after the first
 * minute (or after half the run, when shorter) → "levels off", otherwise "GROWING".
 *
 * `--heap-snapshot` writes V8 heap snapshots (POST /healthz/heap-snapshot, same gate) at the
 * baseline and at the end into .tmp/, with the load paused while each is written, and prints
 * which kinds of objects grew between them. `--server <file>` runs another server bundle
 * (an A/B against an older server.ts).
 *
 *   npm run bench:soak -- --minutes 2
 *   npm run bench:soak -- --db postgres --minutes 5 --heap-snapshot
 */
import fs from "node:fs";
import path from "node:path";
import { createServerDatabase, dropServerDatabase } from "../tests/support/database";
import { get, signIn, startProductionServer, type Jar, type ProductionServer } from "./bench-support/http";

const PASSWORD = "tongke-demo";
const PERSONAS = {
  teacherHechuan: "teacher.hechuan@example.com",
  teacherLeiwuqi: "teacher.leiwuqi@example.com",
  coordinator: "coordinator.hechuan@example.com",
  principal: "principal.hechuan@example.com",
} as const;
type Persona = keyof typeof PERSONAS;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const MINUTES = Number(option("minutes") ?? 10);
const CONNECTIONS = Number(option("connections") ?? 20);
const INTERVAL_S = Number(option("interval") ?? 10);
const DB = option("db") === "postgres" ? "postgres" : "pglite";
const SERVER = option("server") ?? "build/server.js";
const HEAP_SNAPSHOT = flag("heap-snapshot");
const DURATION_MS = MINUTES * 60_000;
/** The reference point of the verdict: one minute in, or half the run when it is shorter. */
const BASELINE_MS = Number(option("baseline-seconds") ?? Math.min(60, (MINUTES * 60) / 2)) * 1000;

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const ms = (v: number) => (Number.isNaN(v) ? "–" : v.toFixed(0));
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

// ---------------------------------------------------------------------------------------------
// The server

interface Server extends ProductionServer {
  dataDir: string;
}

async function startServer(): Promise<Server> {
  fs.mkdirSync(".tmp", { recursive: true });
  const dataDir = fs.mkdtempSync(path.resolve(".tmp", `soak-${DB}-`));
  const dbName = `tongke_soak_${process.pid}`;
  const env: Record<string, string> = { DATA_DIR: dataDir, TONGKE_MEMORY_PROBE: "1" };
  if (DB === "postgres") {
    Object.assign(env, { DATABASE_URL: await createServerDatabase(dbName), DB_MIGRATE_ON_START: "true", DB_SEED: "true" });
  }
  const server = await startProductionServer({
    env,
    server: SERVER,
    nodeOptions: ["--expose-gc"],
    cleanUp: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (DB === "postgres") await dropServerDatabase(dbName).catch(() => {});
    },
  });
  return { ...server, dataDir };
}

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error("no VmRSS in /proc/<pid>/status");
  return Number(kb[1]) * 1024;
}

/** CPU time the process has used (user + system), in ms; /proc/<pid>/stat counts clock ticks of 10 ms. */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Memory {
  heapUsed: number;
  heapTotal: number;
  /** Memory outside the V8 heap held by JavaScript objects; includes PGlite's WebAssembly memory. */
  external: number;
  collected: boolean;
}

async function heapOf(url: string): Promise<Memory> {
  const response = await fetch(`${url}/healthz?memory=1&gc=1`, { signal: AbortSignal.timeout(120_000) });
  if (!response.ok) throw new Error(`/healthz?memory=1 answered ${response.status}: is TONGKE_MEMORY_PROBE in this build?`);
  return (await response.json()) as Memory;
}

// ---------------------------------------------------------------------------------------------
// Signed-in clients

const linksIn = (html: string, pattern: RegExp) => [...new Set([...html.matchAll(pattern)].map((m) => m[1]))];
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

interface Target {
  label: string;
  persona: Persona | null;
  path: string;
}

/** The pages, from what the demo data holds: a pairing, its plan list, a school, plans if any. */
async function discoverTargets(url: string, jars: Record<Persona, Jar>): Promise<Target[]> {
  const pairings = await get(`${url}/pairings`, jars.teacherHechuan);
  const pairingId = linksIn(pairings.body, new RegExp(`href="/pairings/(${UUID})"`, "g"))[0];
  const schools = await get(`${url}/schools`, jars.coordinator);
  const schoolId = linksIn(schools.body, new RegExp(`href="/schools/(${UUID})"`, "g"))[0];
  const targets: Target[] = [
    { label: "/login (signed out)", persona: null, path: "/login" },
    { label: "/ teacher", persona: "teacherHechuan", path: "/" },
    { label: "/ teacher (Leiwuqi)", persona: "teacherLeiwuqi", path: "/" },
    { label: "/ coordinator", persona: "coordinator", path: "/" },
    { label: "/pairings", persona: "teacherHechuan", path: "/pairings" },
    { label: "/pairings coordinator", persona: "coordinator", path: "/pairings" },
    { label: "/schools", persona: "principal", path: "/schools" },
    { label: "/live teacher", persona: "teacherHechuan", path: "/live" },
    { label: "/live coordinator", persona: "coordinator", path: "/live" },
    { label: "/dashboard coordinator", persona: "coordinator", path: "/dashboard" },
    { label: "/notifications", persona: "teacherLeiwuqi", path: "/notifications" },
  ];
  if (schoolId) targets.push({ label: "/schools/:id", persona: "principal", path: `/schools/${schoolId}` });
  if (pairingId) {
    targets.push({ label: "/pairings/:id workspace", persona: "teacherHechuan", path: `/pairings/${pairingId}` });
    targets.push({ label: "/pairings/:id/plans", persona: "teacherLeiwuqi", path: `/pairings/${pairingId}/plans` });
    const plans = await get(`${url}/pairings/${pairingId}/plans`, jars.teacherHechuan);
    const planId = linksIn(plans.body, new RegExp(`href="/lesson-plans/(${UUID})"`, "g"))[0];
    if (planId) targets.push({ label: "/lesson-plans/:id", persona: "teacherHechuan", path: `/lesson-plans/${planId}` });
  }
  for (const target of targets) {
    const { status } = await get(`${url}${target.path}`, target.persona ? jars[target.persona] : undefined);
    if (status !== 200) throw new Error(`${target.label} (${target.path}) answered ${status} before the soak`);
  }
  return targets;
}

// ---------------------------------------------------------------------------------------------
// Load, sampling, snapshots

interface Done {
  target: number;
  ms: number;
  ok: boolean;
}

class Load {
  private done: Done[] = [];
  private running = true;
  private pause: Promise<void> | null = null;
  private inFlight = 0;
  private idle: (() => void) | null = null;
  private next = 0;
  readonly all: Done[] = [];
  /** Time the load stood still for heap snapshots; the soak runs that much longer. */
  pausedMs = 0;
  readonly errors = new Map<string, number>();
  private workers: Promise<void>[] = [];

  constructor(
    private url: string,
    private targets: Target[],
    private jars: Record<Persona, Jar>,
  ) {}

  start(connections: number) {
    this.workers = Array.from({ length: connections }, () => this.worker());
  }

  private async worker() {
    while (this.running) {
      if (this.pause) {
        await this.pause;
        continue;
      }
      const index = this.next++ % this.targets.length;
      const target = this.targets[index];
      this.inFlight++;
      const started = performance.now();
      let ok = false;
      try {
        const { status } = await get(`${this.url}${target.path}`, target.persona ? this.jars[target.persona] : undefined);
        ok = status === 200;
        if (!ok) this.count(`${target.label}: ${status}`);
      } catch (error) {
        this.count(`${target.label}: ${(error as Error).message}`);
      }
      const done = { target: index, ms: performance.now() - started, ok };
      this.done.push(done);
      this.all.push(done);
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
      // A server that refuses connections must not turn the loop into a busy spin.
      if (!ok) await sleep(50);
    }
  }

  private count(key: string) {
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  /** The requests finished since the last call. */
  drain(): Done[] {
    const done = this.done;
    this.done = [];
    return done;
  }

  /** Holds new requests back and waits for the open ones to finish, runs `work`, resumes. */
  async paused<T>(work: () => Promise<T>): Promise<T> {
    let resume!: () => void;
    const started = performance.now();
    this.pause = new Promise((resolve) => (resume = resolve));
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.idle = null;
    try {
      return await work();
    } finally {
      this.pause = null;
      this.pausedMs += performance.now() - started;
      resume();
    }
  }

  async stop() {
    this.running = false;
    await Promise.all(this.workers);
  }
}

interface Sample {
  t: number;
  rss: number;
  heap: Memory;
  requests: number;
  errors: number;
  rps: number;
  cpuPerRequest: number;
  p50: number;
  p95: number;
  note: string;
}

async function snapshot(server: Server, load: Load, name: string): Promise<{ file: string; seconds: number }> {
  return load.paused(async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/healthz/heap-snapshot`, { method: "POST" });
    if (!response.ok) throw new Error(`POST /healthz/heap-snapshot answered ${response.status}`);
    const { file } = (await response.json()) as { file: string };
    const target = path.resolve(".tmp", `bench-soak-${DB}-${process.pid}-${name}.heapsnapshot`);
    fs.renameSync(file, target);
    return { file: target, seconds: (performance.now() - started) / 1000 };
  });
}

// ---------------------------------------------------------------------------------------------
// Heap snapshot diff: objects grouped by constructor (or closure name), counts and bytes

interface HeapSnapshot {
  meta: { node_fields: string[]; node_types: [string[], ...unknown[]] };
  nodes: Float64Array;
  strings: string[];
}

/**
 * Reads a .heapsnapshot without JSON.parse of the whole file (a leaking server's snapshot
 * is larger than the longest string JavaScript holds): the header and the string table are
 * parsed as JSON, the node array is scanned as numbers. Edges are not needed here.
 */
function readHeapSnapshot(file: string): HeapSnapshot {
  const buffer = fs.readFileSync(file);
  const nodesAt = buffer.indexOf('"nodes":[');
  const header = JSON.parse(`${buffer.subarray(0, nodesAt).toString("utf8").trim().replace(/,$/, "")}}`) as {
    snapshot: { meta: HeapSnapshot["meta"]; node_count: number };
  };
  const { meta, node_count } = header.snapshot;
  const nodes = new Float64Array(node_count * meta.node_fields.length);
  let n = 0;
  let value = -1;
  for (let i = nodesAt + '"nodes":['.length; n < nodes.length; i++) {
    const c = buffer[i];
    if (c >= 48 && c <= 57) value = (value < 0 ? 0 : value * 10) + (c - 48);
    else if (value >= 0) {
      nodes[n++] = value;
      value = -1;
    }
    if (c === 93 /* ] */) break;
  }
  const stringsAt = buffer.indexOf('"strings":[', nodesAt) + '"strings":'.length;
  const stringsEnd = buffer.lastIndexOf("]") + 1;
  const strings = JSON.parse(buffer.subarray(stringsAt, stringsEnd).toString("utf8")) as string[];
  return { meta, nodes, strings };
}

function summarise(file: string): Map<string, { count: number; bytes: number }> {
  const heap = readHeapSnapshot(file);
  const fields = heap.meta.node_fields;
  const types = heap.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const groups = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt]];
    let name = heap.strings[heap.nodes[i + nameAt]];
    if (type === "string" || type === "concatenated string" || type === "sliced string") name = "(strings)";
    else if (type === "code") name = "(compiled code)";
    else if (type === "array") name = `(array) ${name}`;
    else if (type === "closure") name = `${name || "(anonymous)"}()`;
    else if (type === "hidden" || type === "object shape") name = `(${type})`;
    const key = name.slice(0, 60);
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += heap.nodes[i + sizeAt];
    groups.set(key, group);
  }
  return groups;
}

function printSnapshotDiff(first: string, last: string) {
  const a = summarise(first);
  const b = summarise(last);
  const rows = [...b].map(([name, after]) => {
    const before = a.get(name) ?? { count: 0, bytes: 0 };
    return { name, count: after.count - before.count, bytes: after.bytes - before.bytes };
  });
  const total = rows.reduce((n, row) => n + row.bytes, 0) - [...a].filter(([name]) => !b.has(name)).reduce((n, [, v]) => n + v.bytes, 0);
  console.log(`\nHeap snapshot diff (end − baseline): ${total >= 0 ? "+" : ""}${(total / 1024 / 1024).toFixed(1)} MB of self size in all.`);
  const print = (title: string, sorted: typeof rows) => {
    if (sorted.length === 0) return console.log(`\n${title}: none.`);
    console.log(`\n${title}\n\n| objects | Δ count | Δ self size |\n|---|---:|---:|`);
    for (const row of sorted.slice(0, 10)) {
      console.log(`| ${row.name.replace(/\|/g, "\\|") || "(no name)"} | ${row.count} | ${(row.bytes / 1024).toFixed(0)} KB |`);
    }
  };
  print(
    "Grown most by self size",
    rows.filter((row) => row.bytes > 0).sort((x, y) => y.bytes - x.bytes),
  );
  print(
    "Grown most in number",
    rows.filter((row) => row.count > 0).sort((x, y) => y.count - x.count),
  );
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(SERVER) || !fs.existsSync("build/index.js")) {
    console.error(`No production build (${SERVER}, build/index.js): run \`npm run build\` first.`);
    process.exit(1);
  }
  console.log(
    `Soak: ${SERVER} on ${DB === "postgres" ? "PostgreSQL" : "PGlite"}, ${CONNECTIONS} connections, ${MINUTES} min, sample every ${INTERVAL_S} s\n`,
  );
  const server = await startServer();
  const pid = server.child.pid!;
  let load: Load | undefined;
  try {
    const personas = Object.keys(PERSONAS) as Persona[];
    const jars = Object.fromEntries(
      await Promise.all(personas.map(async (p) => [p, await signIn(server.url, PERSONAS[p], PASSWORD)] as const)),
    ) as Record<Persona, Jar>;
    const targets = await discoverTargets(server.url, jars);
    console.log(`Pages (round-robin): ${targets.map((t) => t.label).join(", ")}\n`);

    const idle = { rss: rssBytes(pid), heap: await heapOf(server.url) };
    load = new Load(server.url, targets, jars);
    const samples: Sample[] = [];
    const snapshots: string[] = [];
    const started = performance.now();
    load.start(CONNECTIONS);
    let last = started;
    let lastCpu = cpuMs(pid);
    let baselineTaken = false;
    let died = false;
    console.log(
      "| t | RSS MB | heap used MB (after GC) | heap total MB | external MB | requests | req/s | server CPU ms/req | p50 ms | p95 ms | errors | |",
    );
    console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    const loaded = () => performance.now() - started - load!.pausedMs;
    while (loaded() < DURATION_MS) {
      await sleep(Math.min(INTERVAL_S * 1000, DURATION_MS - loaded()));
      if (server.child.exitCode !== null || server.child.signalCode !== null) {
        console.log(`\nThe server exited (${server.child.exitCode ?? server.child.signalCode}):\n${server.output().slice(-3000)}`);
        died = true;
        break;
      }
      const now = performance.now();
      const done = load.drain();
      const times = done.map((d) => d.ms).sort((x, y) => x - y);
      let rss = rssBytes(pid);
      const cpu = cpuMs(pid);
      const heap = await heapOf(server.url);
      let note = "";
      const elapsed = now - started - load.pausedMs;
      if (!baselineTaken && elapsed >= BASELINE_MS - 500) {
        baselineTaken = true;
        note = "baseline";
        if (HEAP_SNAPSHOT) {
          const { file, seconds } = await snapshot(server, load, "baseline");
          snapshots.push(file);
          // Writing a snapshot raises RSS for good (the allocator keeps what it used): the
          // baseline is read after it, so the verdict compares like with like.
          rss = rssBytes(pid);
          note += `, snapshot (${seconds.toFixed(0)} s, load paused; RSS read after it)`;
        }
      }
      const sample: Sample = {
        t: elapsed / 1000,
        rss,
        heap,
        requests: done.length,
        errors: done.filter((d) => !d.ok).length,
        rps: done.length / ((now - last) / 1000),
        cpuPerRequest: (cpu - lastCpu) / Math.max(1, done.length),
        p50: quantile(times, 0.5),
        p95: quantile(times, 0.95),
        note,
      };
      last = performance.now();
      lastCpu = cpuMs(pid);
      samples.push(sample);
      console.log(
        `| ${sample.t.toFixed(0)} s | ${mb(rss)} | ${mb(heap.heapUsed)} | ${mb(heap.heapTotal)} | ${mb(heap.external)} | ${sample.requests} | ${sample.rps.toFixed(1)} | ${sample.cpuPerRequest.toFixed(1)} | ${ms(sample.p50)} | ${ms(sample.p95)} | ${sample.errors} | ${note} |`,
      );
    }
    await load.stop();
    const seconds = (performance.now() - started - load.pausedMs) / 1000;
    if (HEAP_SNAPSHOT && server.child.exitCode === null) {
      const { file } = await snapshot(server, load, "end");
      snapshots.push(file);
    }

    // Summary
    const all = load.all;
    const times = all.map((d) => d.ms).sort((x, y) => x - y);
    const cpuPerRequest = samples.reduce((n, s) => n + s.cpuPerRequest * s.requests, 0) / Math.max(1, all.length);
    console.log(
      `\nIdle before the load: RSS ${mb(idle.rss)} MB, heap ${mb(idle.heap.heapUsed)} MB, external ${mb(idle.heap.external)} MB.`,
    );
    console.log(
      `Overall: ${all.length} requests in ${seconds.toFixed(0)} s, ${(all.length / seconds).toFixed(1)} req/s, server CPU ${cpuPerRequest.toFixed(1)} ms per request, p50 ${ms(quantile(times, 0.5))} ms, p95 ${ms(quantile(times, 0.95))} ms, ${all.filter((d) => !d.ok).length} errors.`,
    );
    for (const [key, count] of load.errors) console.log(`  error ${key} ×${count}`);

    console.log("\n| page | requests | p50 ms | p95 ms |\n|---|---:|---:|---:|");
    targets.forEach((target, index) => {
      const own = all
        .filter((d) => d.target === index)
        .map((d) => d.ms)
        .sort((x, y) => x - y);
      console.log(`| ${target.label} | ${own.length} | ${ms(quantile(own, 0.5))} | ${ms(quantile(own, 0.95))} |`);
    });

    const baseline = samples.find((s) => s.note.startsWith("baseline"));
    const end = samples.at(-1);
    if (died) {
      console.log("\nVerdict: GROWING — the server died during the soak.");
    } else if (baseline && end && end !== baseline) {
      const growth = end.rss / baseline.rss - 1;
      const heapGrowth = end.heap.heapUsed / baseline.heap.heapUsed - 1;
      const served = all.length;
      const perRequest =
        (end.rss - baseline.rss) /
        Math.max(
          1,
          samples.filter((s) => s.t > baseline.t).reduce((n, s) => n + s.requests, 0),
        );
      console.log(
        `\nRSS after ${baseline.t.toFixed(0)} s: ${mb(baseline.rss)} MB; at the end (${end.t.toFixed(0)} s): ${mb(end.rss)} MB (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %, ${(perRequest / 1024).toFixed(1)} KB per request after the baseline, ${served} requests in all).`,
      );
      console.log(
        `Heap used after GC: ${mb(baseline.heap.heapUsed)} MB → ${mb(end.heap.heapUsed)} MB (${heapGrowth >= 0 ? "+" : ""}${(heapGrowth * 100).toFixed(1)} %).`,
      );
      console.log(`Verdict: ${growth <= 0.2 ? "levels off" : "GROWING"} (RSS at the end within 20 % of the baseline → levels off).`);
      if (HEAP_SNAPSHOT) {
        console.log(
          "(With --heap-snapshot, RSS and speed after the first snapshot include V8's heap-profiler bookkeeping: judge RSS on a run without it.)",
        );
      }
    } else {
      console.log("\nVerdict: – (the run ended before a second sample after the baseline)");
    }
    if (snapshots.length === 2) {
      console.log(`\nHeap snapshots: ${snapshots.map((f) => path.relative(process.cwd(), f)).join(", ")}`);
      printSnapshotDiff(snapshots[0], snapshots[1]);
    }
  } finally {
    await load?.stop();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

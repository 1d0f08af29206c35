/**
 * `npm run bench:scale`: the pages' SQL at district scale, with row-level security and
 * without, not a test. Creates a throwaway PostgreSQL database (TEST_DATABASE_URL or
 * 127.0.0.1:5432), applies the migrations, loads a generated district with set-based SQL as
 * the owner, then runs the queries the loaders run — through the app's own query functions —
 * as a real teacher and a real coordinator of that data (role authenticated + their claims,
 * as withUserTransaction does) and as the owner (no RLS, same claims), and prints a Markdown
 * table of p50s and their ratio. The database is dropped at the end unless `--keep`.
 *
 *   npm run bench:scale -- [--scale 1] [--runs 5] [--keep]
 *   npm run bench:scale -- --database <kept name> [--scale as loaded]   times a kept database again
 *   npm run bench:scale -- --database <kept name> --http [--no-sql]     and its pages over HTTP
 *
 * The district and the pages' queries are tests/support/district.ts, shared with the scale
 * guard test (tests/db/scale-guard.test.ts), which checks the same statements' plans.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { hashPassword } from "../embedded/auth/credentials.server";
import { openDatabase, type Database, type DbHandle } from "../app/db/client.server";
import { migrate } from "../app/db/migrate.server";
import { createServerDatabase, dropServerDatabase } from "../tests/support/database";
import { actAs, district, pages, PAIRING, type Persona, type Work } from "../tests/support/district";
import { get, signIn, startProductionServer, type Jar } from "./bench-support/http";

const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    runs: { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
    database: { type: "string" },
    http: { type: "boolean", default: false },
    sql: { type: "boolean", default: true },
    connections: { type: "string", default: "20" },
  },
  allowNegative: true,
});
const SCALE = Number(args.scale);
const RUNS = Math.max(1, Number(args.runs));

const DISTRICT = district(SCALE);

function serverDatabaseUrl(name: string) {
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${name}`;
  return url.toString();
}

/** p50 in ms of `RUNS` runs after one warm-up, in a transaction as the user (RLS) or as the owner with the same claims. */
async function time(db: Database, persona: Persona, work: Work, rls: boolean): Promise<number> {
  const once = () =>
    db.transaction(async (tx) => {
      await actAs(tx, persona, { rls });
      await work(tx, persona.id);
    });
  await once();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function main() {
  const reuse = args.database;
  const name = reuse ?? `tongke_bench_scale_${process.pid}`;
  const url = reuse ? serverDatabaseUrl(reuse) : await createServerDatabase(name);
  const handle = await openDatabase({ databaseUrl: url });
  try {
    const { applied } = await migrate(handle, { seed: false });
    if (applied.length) console.log(`Applied ${applied.join(", ")}`);
    if (!reuse) {
      console.log(`Loading scale ${SCALE} into ${name}…`);
      const started = performance.now();
      await DISTRICT.load(handle, (line) => console.log(line));
      console.log(`Loaded in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    }
    const tables = ["schools", "classrooms", "profiles", "pairings", "lesson_plans", "live_sessions", "pairing_events", "notifications"];
    const [counts] = await handle.query<Record<string, string>>(
      `select ${tables.map((t) => `(select count(*) from public.${t})::text as ${t}`).join(", ")}`,
    );
    console.log(
      Object.entries(counts)
        .map(([table, rows]) => `${table} ${rows}`)
        .join(", "),
    );

    const { teacher, coordinator } = DISTRICT;
    const rows: string[] = [];
    if (args.sql) {
      for (const { page, work } of pages) {
        for (const persona of page === "/dashboard" ? [coordinator] : [teacher, coordinator]) {
          const withRls = await time(handle.db, persona, work, true);
          const without = await time(handle.db, persona, work, false);
          const ratio = withRls / without;
          const miss = withRls > 200 || ratio > 2 ? " ✗" : "";
          rows.push(`| ${page}, ${persona.label} | ${withRls.toFixed(1)} | ${without.toFixed(1)} | ${ratio.toFixed(1)}×${miss} |`);
          console.log(rows.at(-1));
        }
      }
      console.log(`\nScale ${SCALE}, p50 of ${RUNS} runs, ms (target: with RLS ≤ 2× without and < 200 ms; ✗ = missed)\n`);
      console.log("| page, as | with RLS | without RLS | ratio |\n|---|---:|---:|---:|");
      console.log(rows.join("\n"));
    }
    if (args.http) await timePagesOverHttp(handle, url, { teacher, coordinator });
  } finally {
    await handle.close();
    if (args.keep || reuse) console.log(`\nKept ${url}`);
    else await dropServerDatabase(name);
  }
}

const PASSWORD = "tongke-bench-scale";
const CONNECTIONS = Math.max(1, Number(args.connections));
const SEQUENTIAL = 20;
const LOAD_SECONDS = 5;

/**
 * `--http`: the pages themselves, from the production build (`npm run build` first) on this
 * database, signed in as the teacher and the coordinator through POST /login: p50/p95 of
 * ${SEQUENTIAL} requests one after another, the HTML's size, and requests per second with
 * `--connections` keep-alive clients for ${LOAD_SECONDS} s. Targets: p95 ≤ 200 ms, HTML ≤ 100 KB,
 * ≥ 100 requests/s on the signed-in home page.
 */
async function timePagesOverHttp(handle: DbHandle, url: string, personas: { teacher: Persona; coordinator: Persona }) {
  const hash = await hashPassword(PASSWORD);
  const people = await handle.query<{ id: string; email: string }>(
    "update auth.users set encrypted_password = $1 where id = any($2::uuid[]) returning id, email",
    [hash, [personas.teacher.id, personas.coordinator.id]],
  );
  const emailOf = (persona: Persona) => people.find((p) => p.id === persona.id)!.email;
  const server = await startProductionServer({ env: { DATABASE_URL: url, DATABASE_POOL_SIZE: "10" } });
  try {
    const jars: Record<string, Jar> = {
      teacher: await signIn(server.url, emailOf(personas.teacher), PASSWORD),
      coordinator: await signIn(server.url, emailOf(personas.coordinator), PASSWORD),
    };
    const paths: [string, string][] = [
      ["home", "/"],
      ["week view /live", "/live"],
      ["pairing workspace", `/pairings/${PAIRING}`],
      ["plan list", `/pairings/${PAIRING}/plans`],
      ["plan list, search 光合作用", `/pairings/${PAIRING}/plans?q=${encodeURIComponent("光合作用")}`],
      ["/pairings", "/pairings"],
      ["/notifications", "/notifications"],
      ["/dashboard", "/dashboard"],
    ];
    const rows: string[] = [];
    const misses: string[] = [];
    for (const [page, path] of paths) {
      for (const who of page === "/dashboard" ? ["coordinator"] : ["teacher", "coordinator"]) {
        const jar = jars[who];
        const first = await get(`${server.url}${path}`, jar);
        if (first.status !== 200) throw new Error(`${page} as ${who} answered ${first.status}`);
        await get(`${server.url}${path}`, jar);
        const samples: number[] = [];
        for (let i = 0; i < SEQUENTIAL; i++) {
          const started = performance.now();
          await get(`${server.url}${path}`, jar);
          samples.push(performance.now() - started);
        }
        samples.sort((a, b) => a - b);
        const p50 = samples[Math.floor(samples.length / 2)];
        const p95 = samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))];
        let served = 0;
        const until = performance.now() + LOAD_SECONDS * 1000;
        await Promise.all(
          Array.from({ length: CONNECTIONS }, async () => {
            while (performance.now() < until) {
              if ((await get(`${server.url}${path}`, jar)).status === 200) served++;
            }
          }),
        );
        const rps = served / LOAD_SECONDS;
        const kb = Buffer.byteLength(first.body) / 1024;
        const label = `${page}, ${who}`;
        if (p95 > 200) misses.push(`${label}: p95 ${p95.toFixed(0)} ms > 200 ms`);
        if (kb > 100) misses.push(`${label}: ${kb.toFixed(0)} KB of HTML > 100 KB`);
        if (page === "home" && rps < 100) misses.push(`${label}: ${rps.toFixed(0)} requests/s < 100`);
        rows.push(`| ${label} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${kb.toFixed(0)} | ${rps.toFixed(0)} |`);
        console.log(rows.at(-1));
      }
    }
    console.log(`\nOver HTTP (production build), ms; req/s with ${CONNECTIONS} connections for ${LOAD_SECONDS} s\n`);
    console.log("| page, as | p50 | p95 | HTML KB | req/s |\n|---|---:|---:|---:|---:|");
    console.log(rows.join("\n"));
    console.log(misses.length ? `\nMisses:\n${misses.map((m) => `  ✗ ${m}`).join("\n")}` : "\nNo misses over HTTP.");
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

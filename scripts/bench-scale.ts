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
 *
 * The district and the pages' queries are tests/support/district.ts, shared with the scale
 * guard test (tests/db/scale-guard.test.ts), which checks the same statements' plans.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, type Database } from "../app/db/client.server";
import { migrate } from "../app/db/migrate.server";
import { createServerDatabase, dropServerDatabase } from "../tests/support/database";
import { district, pages, type Persona, type Work } from "../tests/support/district";
import { claimsFor } from "../tests/support/factories";

const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "1" }, runs: { type: "string", default: "5" }, keep: { type: "boolean", default: false },
    database: { type: "string" },
  },
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
  const claims = JSON.stringify(claimsFor(persona.id, `${persona.label}@example.test`));
  const once = () =>
    db.transaction(async (tx) => {
      await tx.execute(
        rls
          ? sql`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`
          : sql`select set_config('request.jwt.claims', ${claims}, true)`,
      );
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
    const [counts] = await handle.query<Record<string, string>>(`select ${tables.map((t) => `(select count(*) from public.${t})::text as ${t}`).join(", ")}`);
    console.log(Object.entries(counts).map(([table, rows]) => `${table} ${rows}`).join(", "));

    const { teacher, coordinator } = DISTRICT;
    const rows: string[] = [];
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
  } finally {
    await handle.close();
    if (args.keep || reuse) console.log(`\nKept ${url}`);
    else await dropServerDatabase(name);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

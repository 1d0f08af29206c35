/**
 * `npm run bench:dashboard`: how long the coordinator dashboard's queries take, not a test.
 * For each database (a fresh in-memory PGlite, and a fresh PostgreSQL database when a
 * server answers at TEST_DATABASE_URL or 127.0.0.1:5432): the demo seed as it is, then the
 * demo seed plus a generated set — 300 schools across 6 regions, 150 pairings in mixed
 * states, 20 000 activity events — timed as coordinator.hechuan@example.com (median and
 * p95 of 20 runs of loadDashboard through withUserTransaction, after 3 warm-up runs).
 *
 * The set is written as the database owner, bypassing the functions but not the
 * constraints or triggers: terminal pairings get their events while still open and are
 * closed afterwards.
 */
import { randomUUID } from "node:crypto";
import { openDatabase, type DbHandle } from "../app/db/client.server";
import { migrate } from "../app/db/migrate.server";
import { withUserTransaction } from "../app/db/with-user-transaction.server";
import { loadDashboard } from "../app/dashboard/queries.server";
import { previousTerm } from "../app/dashboard/filters";
import { termOf } from "../app/pairings/schemas";
import { createServerDatabase, dropServerDatabase, postgresServerAvailable } from "../tests/support/database";
import { claimsFor } from "../tests/support/factories";

const RUNS = 20;
const COORDINATOR = { id: "30000000-0000-4000-8000-000000000002", email: "coordinator.hechuan@example.com" };
const HECHUAN = "10000000-0000-4000-8000-000000000001";
const STATES = [
  ...Array(60).fill("active"),
  ...Array(15).fill("paused"),
  ...Array(20).fill("proposed"),
  ...Array(10).fill("requested"),
  ...Array(25).fill("ended"),
  ...Array(10).fill("declined"),
  ...Array(10).fill("withdrawn"),
] as string[];

/** A seeded generator: the same states, shapes and spread on every run (school ids are random). */
function prng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

async function generate(handle: DbHandle) {
  const random = prng(42);
  await handle.exec(`
    insert into public.regions (code, name_zh) select 'bench-' || g, '基准区' || g from generate_series(1, 4) g;
    with r as (select id, row_number() over (order by code) - 1 as i from public.regions)
    insert into public.schools (region_id, name_zh, stage)
    select (select id from r where i = g % 6), '基准学校' || g, (array['primary', 'middle', 'high', 'vocational'])[1 + g % 4]
    from generate_series(1, 300 - (select count(*) from public.schools)) g;
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
      raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
      'bench-' || g || '@example.test', '', now(), '{}', '{}', now(), now()
    from generate_series(1, 900) g;
    insert into public.school_memberships (school_id, user_id, role)
    select s.id, u.id, 'teacher'
    from (select id, row_number() over (order by email) as n from auth.users where email like 'bench-%') u
    join (select id, row_number() over (order by id) - 1 as n from public.schools) s on s.n = u.n % 300;
  `);
  const schools = await handle.query<{ id: string; region_id: string }>("select id, region_id from public.schools order by id");
  const hechuan = schools.filter((s) => s.region_id === HECHUAN);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const seen = new Set<string>();
  const pairings: { id: string; a: string; b: string; state: string }[] = [];
  while (pairings.length < STATES.length) {
    // Half of them touch Hechuan, so its coordinator has a full table to read.
    const a = pairings.length % 2 === 0 ? pick(hechuan) : pick(schools);
    const b = pick(schools);
    const key = [a.id, b.id].sort().join();
    if (a.region_id === b.region_id || seen.has(key)) continue;
    seen.add(key);
    pairings.push({ id: randomUUID(), a: a.id, b: b.id, state: STATES[pairings.length] });
  }
  // Terminal ones start in the state before their end, so they can still take events.
  const opening = (state: string) => (state === "ended" ? "active" : state === "declined" || state === "withdrawn" ? "proposed" : state);
  for (const p of pairings) {
    const status = opening(p.state);
    const started = ["active", "paused"].includes(status);
    await handle.query(
      `insert into public.pairings (id, school_a_id, school_b_id, status, proposed_by, proposed_at, decided_at, started_at)
       values ($1, $2, $3, $4, $5, now() - interval '300 days', $6::timestamptz, $6::timestamptz)`,
      [p.id, p.a, p.b, status, COORDINATOR.id, started ? new Date(Date.now() - 290 * 86_400_000).toISOString() : null],
    );
  }
  const ids = pairings.map((p) => p.id);
  const terms = [termOf(new Date()), previousTerm(termOf(new Date()))];
  await handle.query(
    `insert into public.pairing_goals (pairing_id, term, joint_lessons_planned, subjects)
     select id, term, 1 + (abs(hashtext(id::text || term)) % 12), '{chinese,math}'
     from unnest($1::uuid[]) as id cross join unnest($2::text[]) as term`,
    [ids, terms],
  );
  await handle.query(
    `insert into public.pairing_events (pairing_id, kind, data, created_at)
     select ($1::uuid[])[1 + (abs(hashtext(g::text)) % $2)], 'goals_updated', '{}',
            now() - (abs(hashtext('t' || g)) % 280) * interval '1 day' - (g % 1440) * interval '1 minute'
     from generate_series(1, 20000) g`,
    [ids, ids.length],
  );
  await handle.query(`update public.pairings set status = 'ended', ended_at = now() where id = any($1::uuid[])`, [
    pairings.filter((p) => p.state === "ended").map((p) => p.id),
  ]);
  for (const state of ["declined", "withdrawn"]) {
    await handle.query(`update public.pairings set status = $1, decided_at = now() where id = any($2::uuid[])`, [
      state,
      pairings.filter((p) => p.state === state).map((p) => p.id),
    ]);
  }
  const [counts] = await handle.query<{ schools: number; pairings: number; events: number }>(
    `select (select count(*)::int from public.schools) as schools, (select count(*)::int from public.pairings) as pairings,
            (select count(*)::int from public.pairing_events) as events`,
  );
  return counts;
}

async function time(handle: DbHandle) {
  const claims = claimsFor(COORDINATOR.id, COORDINATOR.email);
  const filters = { term: termOf(new Date()), stage: null };
  const run = () => withUserTransaction(handle.db, claims, (tx) => loadDashboard(tx, filters));
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    rows = (await run()).pairings.length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { rows, median: at(0.5), p95: at(0.95) };
}

async function measure(target: "pglite" | "postgres", open: () => Promise<{ handle: DbHandle; close: () => Promise<void> }>) {
  const lines: string[] = [];
  for (const set of ["demo", "large"] as const) {
    const { handle, close } = await open();
    try {
      await migrate(handle, { seed: true });
      const size = set === "large" ? await generate(handle) : undefined;
      const { rows, median, p95 } = await time(handle);
      const label = size ? `demo + ${size.schools} schools, ${size.pairings} pairings, ${size.events} events` : "demo seed";
      lines.push(`| ${target} | ${label} | ${rows} | ${median.toFixed(1)} | ${p95.toFixed(1)} |`);
    } finally {
      await close();
    }
  }
  return lines;
}

async function main() {
  const lines = ["| database | data | pairings shown | median ms | p95 ms |", "|---|---|---:|---:|---:|"];
  lines.push(
    ...(await measure("pglite", async () => {
      const handle = await openDatabase({ pgliteDir: "memory://" });
      return { handle, close: () => handle.close() };
    })),
  );
  if (await postgresServerAvailable()) {
    lines.push(
      ...(await measure("postgres", async () => {
        const name = `tongke_bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
        const handle = await openDatabase({ databaseUrl: await createServerDatabase(name) });
        return {
          handle,
          close: async () => {
            await handle.close();
            await dropServerDatabase(name);
          },
        };
      })),
    );
  } else {
    lines.push("| postgres | (no server answered: skipped) | | | |");
  }
  console.log(`Dashboard as ${COORDINATOR.email}, term ${termOf(new Date())}, ${RUNS} runs each:\n`);
  console.log(lines.join("\n"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

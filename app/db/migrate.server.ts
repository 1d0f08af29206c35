import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { appRoot } from "../config.server";
import type { DbHandle } from "./client.server";

export interface MigrationReport {
  bootstrapped: boolean;
  applied: string[];
  seeded: boolean;
}

const root = () => path.resolve(appRoot(), "supabase");

/**
 * Brings a PGlite or plain PostgreSQL database to the schema Supabase would have after
 * `supabase db reset`: the local bootstrap (roles, auth schema), every migration not yet
 * recorded — in the same bookkeeping table as the Supabase CLI — and, into an empty
 * database, the seed. Never run against Supabase itself: there `supabase db push` applies
 * the migrations.
 */
export async function migrate(handle: DbHandle, options: { seed: boolean }): Promise<MigrationReport> {
  const report: MigrationReport = { bootstrapped: false, applied: [], seeded: false };
  report.bootstrapped = await bootstrap(handle);

  await handle.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key, statements text[], name text
    );
    create table if not exists supabase_migrations.seed_files (
      path text primary key, hash text not null
    );`);

  const done = new Set(
    (await handle.query<{ version: string }>("select version from supabase_migrations.schema_migrations")).map((r) => r.version),
  );
  for (const file of await listMigrations()) {
    const { version, name } = parseMigrationName(file);
    if (done.has(version)) continue;
    const text = await fs.readFile(path.join(root(), "migrations", file), "utf8");
    const record = `insert into supabase_migrations.schema_migrations (version, statements, name)
      values (${literal(version)}, array[${literal(text)}], ${literal(name)});`;
    // One simple-protocol script runs as one implicit transaction on PGlite and PostgreSQL
    // alike; an explicit begin/commit is refused by postgres.js on a pooled connection.
    await handle.exec(`${text}\n;\n${record}`).catch((error: unknown) => {
      throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
    });
    report.applied.push(file);
  }

  if (options.seed) report.seeded = await seedIfEmpty(handle);
  return report;
}

/** Applies supabase/local/bootstrap.sql unless this very version already ran (a warm start). */
async function bootstrap(handle: DbHandle): Promise<boolean> {
  const text = await fs.readFile(path.join(root(), "local", "bootstrap.sql"), "utf8");
  const marker = `tongke local bootstrap ${createHash("sha256").update(text).digest("hex")}`;
  const [row] = await handle.query<{ comment: string | null }>(
    `select obj_description(oid, 'pg_namespace') as comment from pg_namespace where nspname = 'auth'`,
  );
  if (row?.comment === marker) return false;
  await handle.exec(`${text}\n;\ncomment on schema auth is ${literal(marker)};`);
  return true;
}

async function seedIfEmpty(handle: DbHandle): Promise<boolean> {
  const [{ seeded }] = await handle.query<{ seeded: boolean }>(
    `select exists (select 1 from supabase_migrations.seed_files) or exists (select 1 from auth.users) as seeded`,
  );
  if (seeded) return false;
  const text = await fs.readFile(path.join(root(), "seed.sql"), "utf8");
  const hash = createHash("sha256").update(text).digest("hex");
  await handle.exec(`${text}\n;\ninsert into supabase_migrations.seed_files (path, hash) values ('supabase/seed.sql', ${literal(hash)});`);
  return true;
}

async function listMigrations(): Promise<string[]> {
  const files = await fs.readdir(path.join(root(), "migrations"));
  return files.filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
}

export function parseMigrationName(file: string) {
  const match = /^(\d+)_(.+)\.sql$/.exec(file);
  if (!match) throw new Error(`Not a migration file name: ${file}`);
  return { version: match[1], name: match[2] };
}

function literal(value: string) {
  return `'${value.replace(/'/g, "''")}'`;
}

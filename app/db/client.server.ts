import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { readTemplate, saveTemplate } from "./pglite-template.server";
import { openPgliteThread } from "./pglite-thread.server";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * One open database: drizzle for queries, plus raw access for system work
 * (migrations run multi-statement files; the embedded Auth server runs plain SQL).
 */
export interface DbHandle {
  kind: "pglite" | "postgres";
  db: Database;
  /** Runs a multi-statement script without parameters. */
  exec(script: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** LISTENs on a channel (NOTIFYs are delivered after the sending transaction commits); resolves to an unlisten. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * PostgreSQL with its pool size (default 10), or PGlite in a folder (`memory://` for none).
 * `logQuery` sees every statement drizzle runs, with its parameters (the scale guard test
 * explains them).
 */
export type DatabaseTarget = ({ databaseUrl: string; poolSize?: number } | { pgliteDir: string; thread?: boolean }) & {
  logQuery?: (query: string, params: unknown[]) => void;
};

export async function openDatabase(target: DatabaseTarget): Promise<DbHandle> {
  const logger = target.logQuery && { logQuery: target.logQuery };
  if ("databaseUrl" in target) return openPostgres(target.databaseUrl, target.poolSize ?? 10, logger);
  return openPglite(target.pgliteDir, target.thread ?? !target.pgliteDir.startsWith("memory://"), logger);
}

type Logger = { logQuery(query: string, params: unknown[]): void } | undefined;

/**
 * PGlite in a folder (`memory://` for none). `thread`: on a thread of its own
 * (pglite-thread.server.ts) — the default for a folder, which is the embedded server's
 * database; in-memory databases (tests, benches) run in-process unless asked.
 */
async function openPglite(dir: string, thread: boolean, logger: Logger): Promise<DbHandle> {
  const inMemory = dir.startsWith("memory://");
  if (!inMemory) fs.mkdirSync(path.resolve(dir), { recursive: true });
  const fresh = inMemory || !fs.existsSync(path.join(dir, "PG_VERSION"));
  const template = fresh ? readTemplate() : undefined;
  const dataDir = inMemory ? undefined : dir;
  const client = thread
    ? await openPgliteThread({ dataDir, template })
    : await PGlite.create(dataDir, { extensions: { pgcrypto, pg_trgm }, loadDataDir: template });
  if (fresh && !template) await saveTemplate(client);
  // The thread offers the part of PGlite's interface drizzle's driver uses.
  const db = drizzlePglite({ client: client as PGlite, schema, logger }) as unknown as Database;
  return {
    kind: "pglite",
    db,
    exec: async (script) => {
      await client.exec(script);
    },
    query: async <T>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows,
    listen: async (channel, onPayload) => client.listen(channel, onPayload),
    close: () => client.close(),
  };
}

async function openPostgres(url: string, poolSize: number, logger: Logger): Promise<DbHandle> {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    // Supabase's transaction pooler (port 6543) cannot hold prepared statements.
    prepare: !/:6543\//.test(url),
  });
  const db = drizzlePostgres({ client, schema, logger }) as unknown as Database;
  return {
    kind: "postgres",
    db,
    exec: async (script) => {
      await client.unsafe(script).simple();
    },
    query: async <T>(text: string, params: unknown[] = []) =>
      (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[],
    listen: async (channel, onPayload) => {
      const { unlisten } = await client.listen(channel, onPayload);
      return unlisten;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

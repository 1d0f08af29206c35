import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DbHandle } from "../../app/db/client.server";
import { migrate } from "../../app/db/migrate.server";

export type TestDbTarget = "pglite" | "postgres";

/** Which database the db/integration tests run on: TEST_DB=pglite (default) or postgres. */
export const testDbTarget: TestDbTarget = process.env.TEST_DB === "postgres" ? "postgres" : "pglite";

const serverUrl = () => process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase extends DbHandle {
  /** Closes the connection and drops the database. */
  destroy(): Promise<void>;
}

export interface TestDatabaseOptions {
  seed?: boolean;
  /** Sees every statement drizzle runs (see DatabaseTarget). */
  logQuery?: (query: string, params: unknown[]) => void;
  /** PGlite only: on a thread of its own, as the embedded server runs it (see pglite-thread.server.ts). */
  thread?: boolean;
}

/**
 * A fresh database with the bootstrap and every migration applied, no seed:
 * in-memory PGlite, or a new database on the PostgreSQL server that `destroy` drops.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { logQuery } = options;
  if (testDbTarget === "pglite") {
    const handle = await openDatabase({ pgliteDir: "memory://", logQuery, thread: options.thread ?? false });
    await migrate(handle, { seed: options.seed ?? false });
    return { ...handle, destroy: () => handle.close() };
  }
  const name = `tongke_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const handle = await openDatabase({ databaseUrl: await createServerDatabase(name), logQuery });
  const destroy = async () => {
    await handle.close();
    await dropServerDatabase(name);
  };
  try {
    await migrate(handle, { seed: options.seed ?? false });
  } catch (error) {
    // A failed migration must not leave its database behind on the shared server.
    await destroy();
    throw error;
  }
  return { ...handle, destroy };
}

/** A new, empty database on the PostgreSQL server (dropped first if a crashed run left it); its URL. */
export async function createServerDatabase(name: string): Promise<string> {
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropServerDatabase(name: string): Promise<void> {
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/** True when the PostgreSQL server answers; used to skip the postgres leg loudly outside CI. */
export async function postgresServerAvailable(): Promise<boolean> {
  const probe = postgres(serverUrl(), { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

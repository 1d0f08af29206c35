import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  createTestDatabase,
  postgresServerAvailable,
  testDbTarget,
  type TestDatabase,
  type TestDatabaseOptions,
  type TestDbTarget,
} from "./database";

export type PostgresLegDecision = "run" | "skip" | "fail";

/**
 * The postgres leg (TEST_DB=postgres) without a server: in CI that is a broken run and
 * fails; on a laptop without PostgreSQL the leg is skipped with a loud warning.
 */
export async function decidePostgresLeg(input: {
  target: TestDbTarget;
  serverAvailable: () => Promise<boolean>;
  ci: string | undefined;
}): Promise<PostgresLegDecision> {
  if (input.target !== "postgres" || (await input.serverAvailable())) return "run";
  // "Set" as scripts/test.ts reads it: any non-empty value.
  return input.ci ? "fail" : "skip";
}

const unavailableMessage = () =>
  `TEST_DB=postgres but no PostgreSQL server answers at ${process.env.TEST_DATABASE_URL ?? "the default 127.0.0.1:5432"}`;

let legDecision: Promise<PostgresLegDecision> | undefined;
const currentLegDecision = () =>
  (legDecision ??= decidePostgresLeg({
    target: testDbTarget,
    serverAvailable: postgresServerAvailable,
    ci: process.env.CI,
  }));

/**
 * One migrated database for the calling test file, created before its tests and
 * destroyed after them. Every database test file gets its database here, so each one
 * honours the postgres-leg decision above.
 */
export function setupTestDatabase(options: TestDatabaseOptions = {}): { readonly handle: TestDatabase } {
  let database: TestDatabase | undefined;
  let decision: PostgresLegDecision = "run";

  beforeAll(async () => {
    decision = await currentLegDecision();
    if (decision === "fail") throw new Error(`${unavailableMessage()}; CI is set, so this is a failure.`);
    if (decision === "skip") {
      console.warn(
        `\n${"!".repeat(78)}\n!! SKIPPING the database tests of this file: ${unavailableMessage()}.\n` +
          `!! They have NOT run against PostgreSQL. In CI this fails instead.\n${"!".repeat(78)}\n`,
      );
      return;
    }
    database = await createTestDatabase(options);
  });

  beforeEach((context) => {
    if (decision === "skip") context.skip("no PostgreSQL server for TEST_DB=postgres");
  });

  afterAll(async () => {
    await database?.destroy();
  });

  return {
    get handle() {
      if (!database) throw new Error("The test database is not ready: use it inside tests and hooks only");
      return database;
    },
  };
}

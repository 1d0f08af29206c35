import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "../../app/db/client.server";
import { migrate } from "../../app/db/migrate.server";
import { createServerDatabase, dropServerDatabase, testDbTarget } from "../support/database";
import { setupTestDatabase } from "../support/db-suite";
import { schemaSnapshot } from "../support/schema-snapshot";
import { applyUnifiedPatch } from "../support/unified-patch";

/**
 * A migration that has landed is history: databases that applied it never apply it again,
 * so editing it changes nothing for them and leaves them different from a fresh one. The
 * checksums of landed migrations are recorded (tests/fixtures/migrations/checksums.json, by
 * scripts/record-migrations.ts); the history fixtures are supabase/migrations as it was at
 * earlier commits, kept as patches from today's files so no git is needed. A database built
 * from any of them and then brought up to date must be the same as a fresh one.
 */
const repo = path.resolve(__dirname, "../..");
const migrationsDir = path.join(repo, "supabase", "migrations");
const fixtures = path.join(repo, "tests", "fixtures", "migrations");
const recorded: Record<string, string> = JSON.parse(fs.readFileSync(path.join(fixtures, "checksums.json"), "utf8"));
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const migrationFiles = () =>
  fs
    .readdirSync(migrationsDir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();

describe("landed migrations are never edited", () => {
  it("every recorded migration is still there, byte for byte", () => {
    const changed = Object.entries(recorded)
      .filter(
        ([file, sum]) =>
          !fs.existsSync(path.join(migrationsDir, file)) || sha256(fs.readFileSync(path.join(migrationsDir, file), "utf8")) !== sum,
      )
      .map(([file]) => file);
    expect(changed, "put these back as they landed and write the fix as a new migration").toEqual([]);
  });

  it("a migration not yet recorded sorts after every landed one (older databases would apply it out of order)", () => {
    const latest = Object.keys(recorded).sort().at(-1)!;
    const misplaced = migrationFiles().filter((f) => !recorded[f] && f < latest);
    expect(misplaced).toEqual([]);
  });

  it("the check fails on an edited migration", () => {
    const [file, sum] = Object.entries(recorded)[0];
    const text = fs.readFileSync(path.join(migrationsDir, file), "utf8");
    expect(sha256(text)).toBe(sum);
    expect(sha256(`${text}\n-- edited`)).not.toBe(sum);
  });
});

interface History {
  commit: string;
  subject: string;
  files: string[];
  patched: string[];
}

const histories: History[] = fs
  .readdirSync(path.join(fixtures, "history"))
  .sort()
  .map((dir) => JSON.parse(fs.readFileSync(path.join(fixtures, "history", dir, "migrations.json"), "utf8")) as History);

/**
 * Migrations that only restate today's definitions for databases created from earlier texts:
 * on a current database each must change nothing (the upgrade test below cannot see a
 * restatement that breaks fresh and upgraded databases alike).
 */
const RESTATEMENTS = ["20261207100100_converge_edited_migrations.sql"];

/** A supabase/ folder with today's bootstrap and the given migrations, each as `textOf` gives it. */
function supabaseRoot(label: string, files: string[], textOf: (file: string) => string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `tongke-migrations-${label}-`));
  fs.mkdirSync(path.join(root, "supabase", "local"), { recursive: true });
  fs.mkdirSync(path.join(root, "supabase", "migrations"));
  fs.copyFileSync(path.join(repo, "supabase", "local", "bootstrap.sql"), path.join(root, "supabase", "local", "bootstrap.sql"));
  for (const file of files) fs.writeFileSync(path.join(root, "supabase", "migrations", file), textOf(file));
  return root;
}

const todaysText = (file: string) => fs.readFileSync(path.join(migrationsDir, file), "utf8");

/** supabase/ as it was at the history's commit (today's bootstrap: it is re-applied whenever it changes). */
function oldSupabaseRoot(history: History): string {
  return supabaseRoot(history.commit, history.files, (file) =>
    history.patched.includes(file)
      ? applyUnifiedPatch(todaysText(file), fs.readFileSync(path.join(fixtures, "history", history.commit, `${file}.patch`), "utf8"))
      : todaysText(file),
  );
}

function expectSameSchema(actual: Record<string, string[]>, expected: Record<string, string[]>) {
  for (const part of Object.keys(expected)) {
    const missing = expected[part].filter((line) => !actual[part].includes(line));
    const extra = actual[part].filter((line) => !expected[part].includes(line));
    expect({ part, missing, extra }).toEqual({ part, missing: [], extra: [] });
  }
}

async function withEmptyDatabase<T>(work: (handle: DbHandle) => Promise<T>): Promise<T> {
  if (testDbTarget === "pglite") {
    const handle = await openDatabase({ pgliteDir: "memory://" });
    try {
      return await work(handle);
    } finally {
      await handle.close();
    }
  }
  const name = `tongke_upgrade_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const handle = await openDatabase({ databaseUrl: await createServerDatabase(name) });
  try {
    return await work(handle);
  } finally {
    await handle.close();
    await dropServerDatabase(name);
  }
}

async function migrateFrom(root: string, handle: DbHandle) {
  const before = process.env.TONGKE_ROOT;
  process.env.TONGKE_ROOT = root;
  try {
    return await migrate(handle, { seed: false });
  } finally {
    if (before === undefined) delete process.env.TONGKE_ROOT;
    else process.env.TONGKE_ROOT = before;
  }
}

const fresh = setupTestDatabase();

describe(`a database created from earlier migrations upgrades to the same schema as a fresh one (${testDbTarget})`, () => {
  it("the history fixtures are really older: each differs from today before the upgrade", () => {
    expect(histories.length).toBeGreaterThanOrEqual(8);
    for (const h of histories) expect({ commit: h.commit, patched: h.patched.length > 0 }).toEqual({ commit: h.commit, patched: true });
  });

  for (const restatement of RESTATEMENTS) {
    it(`${restatement} changes nothing on a database that is already current`, { timeout: 120_000 }, async () => {
      const before = migrationFiles().filter((f) => f < restatement);
      const withoutIt = supabaseRoot("before", before, todaysText);
      const withIt = supabaseRoot("with", [...before, restatement], todaysText);
      try {
        await withEmptyDatabase(async (handle) => {
          await migrateFrom(withoutIt, handle);
          const current = await schemaSnapshot(handle);
          expect((await migrateFrom(withIt, handle)).applied).toEqual([restatement]);
          expectSameSchema(await schemaSnapshot(handle), current);
        });
      } finally {
        fs.rmSync(withoutIt, { recursive: true, force: true });
        fs.rmSync(withIt, { recursive: true, force: true });
      }
    });
  }

  for (const history of histories) {
    it(`from ${history.commit} (${history.subject.slice(0, 60)}…)`, { timeout: 120_000 }, async () => {
      const expected = await schemaSnapshot(fresh.handle);
      const root = oldSupabaseRoot(history);
      try {
        await withEmptyDatabase(async (handle) => {
          const old = await migrateFrom(root, handle);
          expect(old.applied).toEqual(history.files);
          const rest = await migrateFrom(repo, handle);
          expect(rest.applied).toEqual(migrationFiles().filter((f) => !history.files.includes(f)));
          expectSameSchema(await schemaSnapshot(handle), expected);
        });
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }
});

import { getTableName, is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../app/db/schema";
import { setupTestDatabase } from "../support/db-suite";

const database = setupTestDatabase();

const drizzleTables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableConfig(table));
const publicTables = drizzleTables.filter((t) => (t.schema ?? "public") === "public");

interface DbColumn {
  table: string;
  column: string;
  nullable: boolean;
  type: string;
  hasDefault: boolean;
}

const columnsOf = (schemaName: string) =>
  database.handle.query<DbColumn>(
    `select table_name as table, column_name as column, is_nullable = 'YES' as nullable,
            case when data_type = 'ARRAY' then substr(udt_name, 2) || '[]' else data_type end as type,
            column_default is not null as "hasDefault"
     from information_schema.columns where table_schema = $1
     order by table_name, ordinal_position`,
    [schemaName],
  );

interface DbConstraint {
  table: string;
  kind: "p" | "u" | "f" | "c";
  name: string;
  columns: string[];
  foreign: string | null;
  onDelete: string | null;
}

const ON_DELETE: Record<string, string> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };

const publicConstraints = () =>
  database.handle.query<DbConstraint>(
    `select t.relname as table, c.contype as kind, c.conname as name,
            array(select a.attname::text from unnest(c.conkey) with ordinality k(attnum, i)
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.i) as columns,
            case when c.contype = 'f' then
              (select n.nspname || '.' || r.relname || '(' || string_agg(a.attname, ',' order by k.i) || ')'
               from pg_class r join pg_namespace n on n.oid = r.relnamespace,
                    unnest(c.confkey) with ordinality k(attnum, i)
                    join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum
               where r.oid = c.confrelid group by n.nspname, r.relname)
            end as foreign,
            case when c.contype = 'f' then c.confdeltype::text end as "onDelete"
     from pg_constraint c join pg_class t on t.oid = c.conrelid
     where t.relnamespace = 'public'::regnamespace and c.contype in ('p', 'u', 'f', 'c')`,
  );

describe("app/db/schema.ts matches the migrated database", () => {
  it("every drizzle column exists with the same nullability, and the public ones with the same type and default", async () => {
    const mismatches: string[] = [];
    for (const table of drizzleTables) {
      const schemaName = table.schema ?? "public";
      const actual = new Map((await columnsOf(schemaName)).filter((c) => c.table === table.name).map((c) => [c.column, c]));
      if (actual.size === 0) mismatches.push(`${schemaName}.${table.name}: table missing`);
      for (const column of table.columns) {
        const found = actual.get(column.name);
        const where = `${schemaName}.${table.name}.${column.name}`;
        if (!found) {
          mismatches.push(`${where}: column missing`);
          continue;
        }
        if (found.nullable === column.notNull) mismatches.push(`${where}: nullable is ${found.nullable} in the database`);
        // auth.* belongs to Supabase (varchar columns there); drizzle declares only what the app reads.
        if (schemaName !== "public") continue;
        if (found.type !== column.getSQLType()) mismatches.push(`${where}: ${found.type} vs drizzle ${column.getSQLType()}`);
        if (column.hasDefault && !found.hasDefault) mismatches.push(`${where}: drizzle expects a default`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("every public table and column is in the drizzle schema", async () => {
    const known = new Set(publicTables.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)));
    const unknown = (await columnsOf("public")).map((c) => `${c.table}.${c.column}`).filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
  });

  it("primary keys, unique constraints, foreign keys and named checks agree", async () => {
    const constraints = await publicConstraints();
    const describeDb = (c: DbConstraint) =>
      c.kind === "f"
        ? `${c.table} fk (${c.columns.join(",")}) -> ${c.foreign} on delete ${ON_DELETE[c.onDelete ?? "a"]}`
        : c.kind === "c"
          ? `${c.table} check ${c.name}`
          : `${c.table} ${c.kind === "p" ? "pk" : "unique"} (${c.columns.join(",")})`;

    const expected: string[] = [];
    for (const table of publicTables) {
      // A column's .primaryKey(), or a composite primaryKey({ columns }) in the table's extra config.
      const pk = [...table.columns.filter((c) => c.primary), ...table.primaryKeys.flatMap((k) => k.columns)].map((c) => c.name);
      expected.push(`${table.name} pk (${pk.join(",")})`);
      for (const column of table.columns.filter((c) => c.isUnique)) expected.push(`${table.name} unique (${column.name})`);
      for (const unique of table.uniqueConstraints) {
        expected.push(`${table.name} unique (${unique.columns.map((c) => c.name).join(",")})`);
      }
      for (const fk of table.foreignKeys) {
        const ref = fk.reference();
        const foreign = getTableConfig(ref.foreignTable);
        expected.push(
          `${table.name} fk (${ref.columns.map((c) => c.name).join(",")}) -> ` +
            `${foreign.schema ?? "public"}.${getTableName(ref.foreignTable)}(${ref.foreignColumns.map((c) => c.name).join(",")}) ` +
            `on delete ${fk.onDelete ?? "no action"}`,
        );
      }
      for (const check of table.checks) expected.push(`${table.name} check ${check.name}`);
    }
    // The database may add checks drizzle does not model (languages, roles, name length).
    const actual = constraints.map(describeDb).filter((d) => !/ check /.test(d) || expected.includes(d));
    expect(actual.sort()).toEqual(expected.sort());
  });
});

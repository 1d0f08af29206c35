import { sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Transaction } from "~/db/client.server";
import { selectRows } from "~/db/execute.server";
import { setupTestDatabase } from "../support/db-suite";
import { actAs, district, pages, type Persona } from "../support/district";

/**
 * The scale guard (issue 16): the statements each page runs — recorded from the app's own
 * query functions on a generated district — explained as the user (row-level security on)
 * and as the owner (off). A page fails when one of its statements
 * - reads a large table whole even with sequential scans disabled (no index serves it);
 * - runs a per-row policy helper (can_see_person(id), …) for rows it does not return: the
 *   cost issue 16 found, helpers running for every row of a table, seen or not;
 * - reads more buffers with row-level security than RLS_FACTOR times without, plus a bounded
 *   amount per row returned and per statement.
 * Plans, call counts and buffers, not timings: the verdict does not move with the machine's
 * load. At 34 schools every page is fast whatever its plan; at a few thousand rows per table
 * these counts already show a statement's shape. The same pages are timed at full scale by
 * `npm run bench:scale`.
 */
const DISTRICT = district(0.05); // 100 schools, 1,120 people, 2,500 plans, 1,000 classes, 10,000 events
/**
 * A policy helper that takes a row's key (can_see_person(id), …) may run for the rows a
 * statement shows, not for the rows it passes over: at most PER_ROW_CALLS per row returned,
 * plus PER_ROW_SLACK.
 */
const PER_ROW_CALLS = 3;
const PER_ROW_SLACK = 20;
/**
 * With row-level security a statement may read RLS_FACTOR times the buffers it reads without
 * (the factor issue 16 sets), plus PER_ROW_BUFFERS for each row it returns (the policies'
 * index probes for a row shown: about five), plus SET_BUFFERS for the user's sets, computed
 * once per statement (my schools, followed pairings, …). Measured on this district, the most
 * any statement used of the last term was about 200 buffers (the dashboard's attendance).
 */
const RLS_FACTOR = 3;
const PER_ROW_BUFFERS = 20;
const SET_BUFFERS = 300;
/** Tables that grow with the district: no page may scan them whole. */
const LARGE = new Set([
  "classrooms",
  "lesson_plan_coauthors",
  "lesson_plan_documents",
  "lesson_plans",
  "live_session_attendance",
  "live_session_classrooms",
  "live_session_headcounts",
  "live_sessions",
  "notifications",
  "pairing_events",
  "profiles",
  "school_memberships",
]);

interface Statement {
  query: string;
  params: unknown[];
}
let recording: Statement[] | null = null;
const database = setupTestDatabase({ logQuery: (query, params) => recording?.push({ query, params }) });

interface PlanNode {
  "Node Type": string;
  "Actual Rows"?: number;
  "Relation Name"?: string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

/** The statements a page's queries run for this person (with row-level security, as the app runs them). */
async function record(persona: Persona, work: (typeof pages)[number]["work"]): Promise<Statement[]> {
  const statements: Statement[] = [];
  await database.handle.db.transaction(async (tx) => {
    await actAs(tx, persona, { rls: true });
    recording = statements;
    try {
      await work(tx, persona.id);
    } finally {
      recording = null;
    }
  });
  return statements;
}

/** The recorded text with its parameters bound again ($n placeholders). */
function bound({ query, params }: Statement): SQL {
  const parts = query.split(/\$(\d+)\b/);
  return sql.join(parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql.param(params[Number(part) - 1]))));
}

class Rollback extends Error {}

interface Explained {
  plan: PlanNode;
  /** Calls of helpers that take a row's key (private.can_see_person(id), …) while the statement ran. */
  perRowCalls: Record<string, number>;
}

/** The private helpers with arguments, and how often each has run in this transaction. */
const helperCalls = async (tx: Transaction) =>
  Object.fromEntries(
    (
      await selectRows<{ name: string; calls: number }>(
        tx,
        sql`select f.funcname as name, f.calls::int as calls
            from pg_stat_xact_user_functions f join pg_proc p on p.oid = f.funcid
            where f.schemaname = 'private' and p.pronargs > 0`,
      )
    ).map((row) => [row.name, Number(row.calls)]),
  );

async function explain(persona: Persona, statement: Statement, rls: boolean, options: { indexesOnly?: boolean } = {}): Promise<Explained> {
  let explained: Explained | undefined;
  await database.handle.db
    .transaction(async (tx) => {
      await tx.execute(sql`set local track_functions = 'all'`);
      await actAs(tx, persona, { rls });
      if (options.indexesOnly) await tx.execute(sql`set local enable_seqscan = off`);
      const before = await helperCalls(tx);
      const [row] = await selectRows<{ "QUERY PLAN": unknown }>(tx, sql`explain (analyze, buffers, format json) ${bound(statement)}`);
      const after = await helperCalls(tx);
      const value = row["QUERY PLAN"];
      const plan = (typeof value === "string" ? JSON.parse(value) : value)[0].Plan as PlanNode;
      const perRowCalls = Object.fromEntries(
        Object.entries(after)
          .map(([name, calls]) => [name, calls - (before[name] ?? 0)] as const)
          .filter(([, calls]) => calls > 0),
      );
      explained = { plan, perRowCalls };
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return explained!;
}

const buffers = (node: PlanNode) => (node["Shared Hit Blocks"] ?? 0) + (node["Shared Read Blocks"] ?? 0);

function seqScans(node: PlanNode): string[] {
  const here = node["Node Type"] === "Seq Scan" && node["Relation Name"] && LARGE.has(node["Relation Name"]) ? [node["Relation Name"]] : [];
  return [...here, ...(node.Plans ?? []).flatMap(seqScans)];
}

describe("the pages' statements at district scale", () => {
  beforeAll(async () => {
    await DISTRICT.load(database.handle);
  }, 300_000);

  const cases = pages.flatMap(({ page, work }) =>
    (page === "/dashboard" ? ["coordinator" as const] : ["teacher" as const, "coordinator" as const]).map((who) => ({ page, who, work })),
  );

  it.each(cases)(
    "$page, as a $who: no large table read whole, policies per row shown only, RLS within 3× the buffers (plus per row shown)",
    async ({ who, work }) => {
      const persona = DISTRICT[who];
      const statements = await record(persona, work);
      expect(statements.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const statement of statements) {
        const [withRls, without] = [await explain(persona, statement, true), await explain(persona, statement, false)];
        const text = statement.query.replace(/\s+/g, " ").trim().slice(0, 160);
        for (const table of seqScans((await explain(persona, statement, true, { indexesOnly: true })).plan)) {
          problems.push(`reads ${table} whole (no index serves it): ${text}`);
        }
        const rows = withRls.plan["Actual Rows"] ?? 0;
        const calls = Object.values(withRls.perRowCalls).reduce((sum, n) => sum + n, 0);
        if (calls > PER_ROW_CALLS * rows + PER_ROW_SLACK) {
          problems.push(`${calls} per-row policy calls for ${rows} rows (${JSON.stringify(withRls.perRowCalls)}): ${text}`);
        }
        if (buffers(withRls.plan) > RLS_FACTOR * buffers(without.plan) + PER_ROW_BUFFERS * rows + SET_BUFFERS) {
          problems.push(`${buffers(withRls.plan)} buffers with RLS, ${buffers(without.plan)} without, for ${rows} rows: ${text}`);
        }
      }
      expect(problems).toEqual([]);
    },
    120_000,
  );
});

import { describe, expect, it } from "vitest";
import { REFUSALS } from "~/db/refusals";
import { setupTestDatabase } from "../support/db-suite";

/**
 * The refusal catalogue (app/db/refusals.ts) against the schema: every SQLSTATE a function
 * raises on purpose is in it, and the codes that were shared have one meaning each.
 */
describe("the refusal catalogue", () => {
  const database = setupTestDatabase();

  async function raisedCodes(): Promise<Map<string, string[]>> {
    const rows = await database.handle.query<{ name: string; source: string }>(`
      select n.nspname || '.' || p.proname as name, p.prosrc as source
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'private') and p.prosrc ~* 'errcode'`);
    const codes = new Map<string, string[]>();
    for (const { name, source } of rows) {
      for (const [, code] of source.matchAll(/errcode\s*=\s*'([0-9A-Z]{5})'/gi)) {
        codes.set(code, [...(codes.get(code) ?? []), name]);
      }
    }
    return codes;
  }

  it("names every code the schema's functions raise", async () => {
    const codes = await raisedCodes();
    expect(codes.size).toBeGreaterThan(5);
    const missing = [...codes.keys()].filter((code) => !Object.hasOwn(REFUSALS, code));
    expect(missing, `raised but not in app/db/refusals.ts: ${missing.join(", ")}`).toEqual([]);
  });

  it("gives a clash its own code: TK423 is raised only by the pairings' functions, TK426 only by the live classes'", async () => {
    const codes = await raisedCodes();
    expect(codes.get("TK423")?.length).toBeGreaterThan(0);
    expect(codes.get("TK423")!.every((name) => /pairing/.test(name))).toBe(true);
    expect(codes.get("TK426")).toEqual(["private.check_live_session_times"]);
  });
});

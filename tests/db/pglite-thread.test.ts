import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle, type Transaction } from "~/db/client.server";
import { selectRows } from "~/db/execute.server";
import { testDbTarget } from "../support/database";

/**
 * The embedded server's database runs PGlite on a thread of its own (pglite-thread.server.ts).
 * The same statements must give the same values, errors, transactions and notifications as
 * PGlite in-process — and the server's event loop must stay free while a statement runs.
 * PGlite only: the PostgreSQL leg has no thread.
 */
describe.skipIf(testDbTarget === "postgres")("PGlite on its own thread", () => {
  let threaded: DbHandle;
  let inProcess: DbHandle;

  beforeAll(async () => {
    [threaded, inProcess] = await Promise.all([
      openDatabase({ pgliteDir: "memory://", thread: true }),
      openDatabase({ pgliteDir: "memory://", thread: false }),
    ]);
    for (const handle of [threaded, inProcess]) {
      await handle.exec(`
        create table things (id bigserial primary key, name text not null unique, doc jsonb, data bytea,
          at timestamptz not null default '2026-12-07 08:00:00+00', day date, tags text[]);
        create function refuse() returns void language plpgsql as $$
          begin raise exception using errcode = 'TK423', message = 'same region', detail = 'both in 合川', hint = 'choose another'; end $$;`);
    }
  });

  afterAll(async () => {
    await Promise.all([threaded?.close(), inProcess?.close()]);
  });

  it("returns the same values as PGlite in-process, through drizzle and plain queries", async () => {
    const read = async (handle: DbHandle) => {
      await handle.query("insert into things (name, doc, data, day, tags) values ($1, $2, $3, $4, $5)", [
        "光合作用",
        JSON.stringify({ 年级: 3, ok: true }),
        Buffer.from([0, 1, 254, 255]),
        "2026-12-07",
        ["ཀ", "zh"],
      ]);
      const plain = await handle.query("select name, doc, data, at, day, tags, id, 2::bigint * 3 as big from things");
      const typed = await handle.db.transaction((tx) =>
        selectRows<Record<string, unknown>>(tx, sql`select name, doc, at, day from things`),
      );
      return { plain, typed };
    };
    const [a, b] = await Promise.all([read(threaded), read(inProcess)]);
    expect(a).toEqual(b);
    expect(a.plain[0].data).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(a.plain[0].doc).toEqual({ 年级: 3, ok: true });
    // Drizzle asks for timestamps as PostgreSQL's text; plain queries get Dates.
    expect(a.plain[0].at).toBeInstanceOf(Date);
    expect(typeof a.typed[0].at).toBe("string");
  });

  it("keeps every field of a database error, as refusals read them", async () => {
    const error = await threaded.query("select refuse()").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ message: "same region", code: "TK423", detail: "both in 合川", hint: "choose another" });
    const drizzled = await threaded.db.execute(sql`insert into things (name) values (${"光合作用"})`).catch((caught: unknown) => caught);
    expect((drizzled as { cause?: { code?: string; constraint?: string } }).cause).toMatchObject({
      code: "23505",
      constraint: "things_name_key",
    });
  });

  it("commits a transaction, and rolls back one that fails, leaving nothing of it", async () => {
    await threaded.db.transaction(async (tx) => {
      await tx.execute(sql`insert into things (name) values ('committed')`);
      await tx.execute(sql`update things set tags = array['x'] where name = 'committed'`);
    });
    const failed = await threaded.db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into things (name) values ('rolled back')`);
        await tx.execute(sql`select refuse()`);
      })
      .catch((caught: unknown) => caught);
    expect((failed as { cause?: { code?: string } }).cause?.code).toBe("TK423");
    const names = (await threaded.query<{ name: string }>("select name from things order by id")).map((row) => row.name);
    expect(names).toContain("committed");
    expect(names).not.toContain("rolled back");
    // Its very first statement failing (the one that opens it on the thread) rolls it back too.
    const failedFirst = await threaded.db.transaction((tx) => tx.execute(sql`select refuse()`)).catch((caught: unknown) => caught);
    expect((failedFirst as { cause?: { code?: string } }).cause?.code).toBe("TK423");
    // The connection is usable after the failures (no transaction left open).
    expect(await threaded.query("select 1 as one")).toEqual([{ one: 1 }]);
  });

  it("runs statements sent together in one transaction in it, one after another", async () => {
    const names = await threaded.db.transaction(async (tx) => {
      await Promise.all(
        ["together 1", "together 2", "together 3"].map((name) => tx.execute(sql`insert into things (name) values (${name})`)),
      );
      return selectRows<{ name: string }>(tx, sql`select name from things where name like 'together %' order by name`);
    });
    expect(names.map((row) => row.name)).toEqual(["together 1", "together 2", "together 3"]);
    // A transaction with no statement opens nothing.
    expect(await threaded.db.transaction(async () => "nothing")).toBe("nothing");
  });

  it("makes a statement outside a transaction wait for the open one, and see what it committed", async () => {
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let inserted!: (tx: Transaction) => void;
    const insertedYet = new Promise<Transaction>((resolve) => (inserted = resolve));
    const transaction = threaded.db.transaction(async (tx) => {
      await tx.execute(sql`insert into things (name) values ('while waiting')`);
      inserted(tx);
      await holding;
    });
    const open = await insertedYet;
    let answered = false;
    const outside = threaded.query<{ n: number }>("select count(*)::int as n from things where name = 'while waiting'").then((rows) => {
      answered = true;
      return rows;
    });
    // A round trip to the thread and back (in the open transaction), and the statement still waits.
    await open.execute(sql`select 1`);
    expect(answered).toBe(false);
    release();
    await transaction;
    expect(await outside).toEqual([{ n: 1 }]);
  });

  it("delivers notifications after commit, and stops after unlisten", async () => {
    const heard: string[] = [];
    const unlisten = await threaded.listen("plan_access", (payload) => heard.push(payload));
    await threaded.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_notify('plan_access', 'first')`);
    });
    await threaded.query("select pg_notify('plan_access', 'second')");
    await expect.poll(() => heard).toEqual(["first", "second"]);
    await unlisten();
    await threaded.query("select pg_notify('plan_access', 'third')");
    await threaded.query("select 1");
    expect(heard).toEqual(["first", "second"]);
  });

  it("leaves the event loop free while a statement runs (in-process PGlite holds it)", async () => {
    /** How many times a 5 ms timer ran while the statement did, and how long the statement took. */
    const ticksDuring = async (handle: DbHandle) => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const started = performance.now();
      await handle.query("select count(*) from generate_series(1, 2000000) g where g % 7 = 3");
      const took = performance.now() - started;
      const during = ticks;
      clearInterval(timer);
      return { ticks: during, took };
    };
    const onThread = await ticksDuring(threaded);
    const here = await ticksDuring(inProcess);
    expect(here.took).toBeGreaterThan(100);
    expect(here.ticks).toBeLessThanOrEqual(1);
    // At least a third of the ticks a free loop would run (the machine's other work takes some).
    expect(onThread.ticks).toBeGreaterThan(onThread.took / 5 / 3);
  });

  it("keeps what it stored in its folder across a restart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tongke-pglite-thread-"));
    try {
      const first = await openDatabase({ pgliteDir: dir });
      await first.exec("create table kept (v text); insert into kept values ('ཀཁག')");
      await first.close();
      const second = await openDatabase({ pgliteDir: dir });
      expect(await second.query("select v from kept")).toEqual([{ v: "ཀཁག" }]);
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

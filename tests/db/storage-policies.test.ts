import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Transaction } from "../../app/db/client.server";
import { selectRows } from "../../app/db/execute.server";
import { setupTestDatabase } from "../support/db-suite";
import { expectPgError, rlsViolation } from "../support/pg-error";
import { createPlanImageWorld, PLAN_ACCESS, PLAN_PERSONAS, type PlanImageWorld } from "../support/plan-image-world";

const database = setupTestDatabase();
const BUCKET = "lesson-plan-images";

const insertObject = (tx: Transaction, name: string, bucket = BUCKET) =>
  selectRows<{ id: string }>(
    tx,
    sql`insert into storage.objects (bucket_id, name, owner_id, metadata)
        values (${bucket}, ${name}, ${"someone"}, ${JSON.stringify({ mimetype: "image/png" })}::jsonb) returning id`,
  );

/** An object written as the Storage service writes it (past the policies). */
async function storeAsSystem(name: string, bucket = BUCKET) {
  const [row] = await database.handle.query<{ id: string }>(
    `insert into storage.objects (bucket_id, name, metadata) values ($1, $2, '{"mimetype":"image/png"}') returning id`,
    [bucket, name],
  );
  return row.id;
}

const visibleNames = (w: PlanImageWorld, persona: keyof typeof PLAN_ACCESS, names: string[]) =>
  w.as(persona, async (tx) =>
    (
      await selectRows<{ name: string }>(
        tx,
        sql`select name from storage.objects where name = any(${sql.param(names)}::text[]) order by name`,
      )
    ).map((r) => r.name),
  );

const imageName = (planId: string) => `${planId}/${randomUUID()}.png`;

describe("the lesson-plan-images bucket", () => {
  it("is private, takes images up to 5 MiB, and users cannot list buckets", async () => {
    const [bucket] = await database.handle.query(
      `select public, file_size_limit::int as file_size_limit, allowed_mime_types from storage.buckets where id = $1`,
      [BUCKET],
    );
    expect(bucket).toEqual({
      public: false,
      file_size_limit: 5 * 1024 * 1024,
      allowed_mime_types: ["image/png", "image/jpeg", "image/gif", "image/webp"],
    });
    const w = await createPlanImageWorld(database.handle);
    expect(await w.as("teacherA", (tx) => selectRows(tx, sql`select id from storage.buckets`))).toEqual([]);
  });

  it("has Supabase's path helpers", async () => {
    const [row] = await database.handle.query(
      `select storage.foldername('a/b/c.png') as folders, storage.filename('a/b/c.png') as file,
              storage.foldername('c.png') as top, storage.extension('a/b/c.png') as ext`,
    );
    expect(row).toEqual({ folders: ["a", "b"], file: "c.png", top: [], ext: "png" });
    const name = `${randomUUID()}/x.png`;
    await storeAsSystem(name);
    const [{ path_tokens }] = await database.handle.query<{ path_tokens: string[] }>(
      `select path_tokens from storage.objects where name = $1`,
      [name],
    );
    expect(path_tokens).toEqual(name.split("/"));
  });
});

describe("who may upload an image into a plan's folder", () => {
  it.each(PLAN_PERSONAS)("%s", async (persona) => {
    const w = await createPlanImageWorld(database.handle);
    const name = imageName(w.planId);
    const upload = w.as(persona, (tx) => insertObject(tx, name));
    if (PLAN_ACCESS[persona] === "edit") {
      await upload;
      expect(await visibleNames(w, "teacherA", [name])).toEqual([name]);
    } else {
      await expectPgError(upload, "42501", rlsViolation("objects"));
      expect(await database.handle.query(`select 1 from storage.objects where name = $1`, [name])).toEqual([]);
    }
  });

  it("nobody, once the plan is final", async () => {
    const w = await createPlanImageWorld(database.handle);
    await w.finalizePlan();
    for (const persona of ["teacherA", "teacherB"] as const) {
      await expectPgError(
        w.as(persona, (tx) => insertObject(tx, imageName(w.planId))),
        "42501",
        rlsViolation("objects"),
      );
    }
  });

  it("nobody, into a folder that is not a plan's, or into another bucket", async () => {
    const w = await createPlanImageWorld(database.handle);
    const otherBucket = `other-${randomUUID()}`;
    await database.handle.query(`insert into storage.buckets (id, name) values ($1, $1)`, [otherBucket]);
    // Malformed folders are refused by the policy, not by an error casting them to uuid.
    for (const name of ["x.png", "not-a-uuid/x.png", `${w.planId}x/y.png`, `${randomUUID()}/x.png`, `/${w.planId}/x.png`]) {
      await expectPgError(
        w.as("teacherA", (tx) => insertObject(tx, name)),
        "42501",
        rlsViolation("objects"),
      );
    }
    await expectPgError(
      w.as("teacherA", (tx) => insertObject(tx, imageName(w.planId), otherBucket)),
      "42501",
      rlsViolation("objects"),
    );
  });
});

describe("who may view a plan's images", () => {
  it.each(PLAN_PERSONAS)("%s", async (persona) => {
    const w = await createPlanImageWorld(database.handle);
    const name = imageName(w.planId);
    await storeAsSystem(name);
    expect(await visibleNames(w, persona, [name])).toEqual(PLAN_ACCESS[persona] === null ? [] : [name]);
  });

  it("the authors and both schools still, once the plan is final", async () => {
    const w = await createPlanImageWorld(database.handle);
    const name = imageName(w.planId);
    await storeAsSystem(name);
    await w.finalizePlan();
    for (const persona of ["teacherA", "teacherB", "adminA", "coordinatorY"] as const) {
      expect(await visibleNames(w, persona, [name])).toEqual([name]);
    }
    expect(await visibleNames(w, "teacherC", [name])).toEqual([]);
  });

  it("objects under malformed folder names are simply not visible (no cast error)", async () => {
    const w = await createPlanImageWorld(database.handle);
    const names = [`not-a-uuid-${randomUUID()}/x.png`, `top-${randomUUID()}.png`];
    for (const name of names) await storeAsSystem(name);
    expect(await visibleNames(w, "teacherA", names)).toEqual([]);
  });
});

describe("images are immutable", () => {
  it("not even an editor can change or delete one", async () => {
    const w = await createPlanImageWorld(database.handle);
    const name = imageName(w.planId);
    await w.as("teacherA", (tx) => insertObject(tx, name));
    const changed = await w.as("teacherA", (tx) =>
      selectRows(tx, sql`update storage.objects set name = ${imageName(w.planId)} where name = ${name} returning id`),
    );
    const deleted = await w.as("teacherA", (tx) => selectRows(tx, sql`delete from storage.objects where name = ${name} returning id`));
    expect({ changed, deleted }).toEqual({ changed: [], deleted: [] });
    expect(await database.handle.query(`select name from storage.objects where name = $1`, [name])).toEqual([{ name }]);
  });
});

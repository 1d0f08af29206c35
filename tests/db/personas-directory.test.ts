import { eq, getTableName, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as schema from "../../app/db/schema";
import { regions, schools } from "../../app/db/schema";
import { setupTestDatabase } from "../support/db-suite";
import { createPersonaWorld, SIGNED_IN_PERSONAS, type SignedInPersona } from "../support/personas";
import { expectPgError, permissionDenied, rlsViolation } from "../support/pg-error";

const database = setupTestDatabase();

const ownerRead = async (text: string, params: unknown[]) => database.handle.query<Record<string, unknown>>(text, params);
const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
const allBut = (...excluded: SignedInPersona[]) => SIGNED_IN_PERSONAS.filter((p) => !excluded.includes(p));

describe("anonymous visitors", () => {
  const publicTables = [
    schema.regions,
    schema.schools,
    schema.profiles,
    schema.schoolMemberships,
    schema.coordinatorScopes,
    schema.platformAdmins,
    schema.classrooms,
  ];

  it.each(publicTables.map((t) => [getTableName(t), t] as const))("cannot read %s", async (name, table) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("anonymous", (tx) => tx.select().from(table)),
      "42501",
      permissionDenied(name),
    );
  });

  it("cannot write the directory", async () => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("anonymous", (tx) => tx.insert(regions).values({ code: "anon-region", nameZh: "匿名区" })),
      "42501",
      permissionDenied("regions"),
    );
    await expectPgError(
      w.as("anonymous", (tx) => tx.update(schools).set({ nameZh: "改名" }).where(eq(schools.id, w.schoolA.id))),
      "42501",
      permissionDenied("schools"),
    );
    await expectPgError(
      w.as("anonymous", (tx) => tx.delete(schools).where(eq(schools.id, w.schoolA.id))),
      "42501",
      permissionDenied("schools"),
    );
  });

  it("cannot call the policy helpers", async () => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("anonymous", (tx) => tx.execute("select private.is_platform_admin()")),
      "42501",
      "permission denied for schema private",
    );
  });
});

describe("regions and schools: the directory", () => {
  it.each(SIGNED_IN_PERSONAS)("%s reads every region and every school", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    const seen = await w.as(persona, async (tx) => ({
      regions: ids(await tx.select({ id: regions.id }).from(regions)),
      schools: ids(await tx.select({ id: schools.id }).from(schools)),
    }));
    expect(seen.regions).toEqual(ids((await ownerRead("select id from public.regions", [])) as { id: string }[]));
    expect(seen.schools).toEqual(ids((await ownerRead("select id from public.schools", [])) as { id: string }[]));
    expect(seen.regions).toEqual(expect.arrayContaining([w.regionX.id, w.regionY.id]));
    expect(seen.schools).toEqual(expect.arrayContaining([w.schoolA.id, w.schoolB.id]));
  });
});

describe("regions: only platform admins change them", () => {
  it.each(allBut("platformAdmin"))("%s cannot add a region", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as(persona, (tx) => tx.insert(regions).values({ code: `r-${persona}-${w.regionX.id.slice(0, 8)}`, nameZh: "新区" })),
      "42501",
      rlsViolation("regions"),
    );
  });

  it.each(allBut("platformAdmin"))("%s can neither rename nor remove a region", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    const renamed = await w.as(persona, (tx) =>
      tx.update(regions).set({ nameZh: "改名" }).where(eq(regions.id, w.regionX.id)).returning({ id: regions.id }),
    );
    const removed = await w.as(persona, (tx) => tx.delete(regions).where(eq(regions.id, w.regionY.id)).returning({ id: regions.id }));
    expect([renamed.length, removed.length]).toEqual([0, 0]);
    const rows = await ownerRead("select id, name_zh from public.regions where id = any($1) order by code", [[w.regionX.id, w.regionY.id]]);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === w.regionX.id)?.name_zh).not.toBe("改名");
  });

  it("a platform admin adds, renames and removes a region", async () => {
    const w = await createPersonaWorld(database.handle);
    const code = `new-${w.regionX.id.slice(0, 8)}`;
    const [added] = await w.as("platformAdmin", (tx) =>
      tx.insert(regions).values({ code, nameZh: "新区", nameBo: "ས་ཁུལ་གསར་པ།" }).returning({ id: regions.id }),
    );
    const renamed = await w.as("platformAdmin", (tx) =>
      tx.update(regions).set({ nameEn: "New District" }).where(eq(regions.id, added.id)).returning({ nameEn: regions.nameEn }),
    );
    expect(renamed).toEqual([{ nameEn: "New District" }]);
    const removed = await w.as("platformAdmin", (tx) => tx.delete(regions).where(eq(regions.id, added.id)).returning());
    expect(removed).toHaveLength(1);
    expect(await ownerRead("select 1 from public.regions where id = $1", [added.id])).toEqual([]);
  });

  it("a region that still has schools cannot be removed", async () => {
    const w = await createPersonaWorld(database.handle);
    // PostgreSQL 18 (PGlite) reports ON DELETE RESTRICT with its own SQLSTATE and wording.
    const [{ version }] = await ownerRead("select current_setting('server_version_num')::int as version", []);
    const [code, violates] = (version as number) >= 180000 ? ["23001", "RESTRICT setting of foreign key"] : ["23503", "foreign key"];
    await expectPgError(
      w.as("platformAdmin", (tx) => tx.delete(regions).where(eq(regions.id, w.regionX.id))),
      code,
      `update or delete on table "regions" violates ${violates} constraint "schools_region_id_regions_id_fk" on table "schools"`,
    );
  });

  it("nobody edits a region's id or creation time", async () => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("platformAdmin", (tx) =>
        tx
          .update(regions)
          .set({ createdAt: new Date(0) })
          .where(eq(regions.id, w.regionX.id)),
      ),
      "42501",
      permissionDenied("regions"),
    );
  });
});

describe("schools: platform admins and the region's coordinators change them", () => {
  it.each(allBut("platformAdmin", "coordinatorX"))("%s cannot add a school to region X", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as(persona, (tx) => tx.insert(schools).values({ regionId: w.regionX.id, nameZh: "新学校", stage: "primary" })),
      "42501",
      rlsViolation("schools"),
    );
  });

  it("the coordinator of X adds a school to X but not to Y", async () => {
    const w = await createPersonaWorld(database.handle);
    const [added] = await w.as("coordinatorX", (tx) =>
      tx.insert(schools).values({ regionId: w.regionX.id, nameZh: "新学校", stage: "middle" }).returning(),
    );
    expect(added).toMatchObject({ regionId: w.regionX.id, nameZh: "新学校", stage: "middle" });
    await expectPgError(
      w.as("coordinatorX", (tx) => tx.insert(schools).values({ regionId: w.regionY.id, nameZh: "新学校", stage: "middle" })),
      "42501",
      rlsViolation("schools"),
    );
  });

  it("the coordinator of X edits and removes X's schools, and cannot touch Y's", async () => {
    const w = await createPersonaWorld(database.handle);
    const renamedA = await w.as("coordinatorX", (tx) =>
      tx.update(schools).set({ nameEn: "School A" }).where(eq(schools.id, w.schoolA.id)).returning({ id: schools.id }),
    );
    const renamedB = await w.as("coordinatorX", (tx) =>
      tx.update(schools).set({ nameEn: "School B" }).where(eq(schools.id, w.schoolB.id)).returning({ id: schools.id }),
    );
    const removedB = await w.as("coordinatorX", (tx) =>
      tx.delete(schools).where(eq(schools.id, w.schoolB.id)).returning({ id: schools.id }),
    );
    expect([renamedA.length, renamedB.length, removedB.length]).toEqual([1, 0, 0]);
    expect(await ownerRead("select name_en from public.schools where id = $1", [w.schoolB.id])).toEqual([{ name_en: null }]);

    const removedA = await w.as("coordinatorX", (tx) =>
      tx.delete(schools).where(eq(schools.id, w.schoolA.id)).returning({ id: schools.id }),
    );
    expect(removedA).toHaveLength(1);
    expect(await ownerRead("select 1 from public.classrooms where school_id = $1", [w.schoolA.id])).toEqual([]);
  });

  it("a coordinator can neither move a school out of their region nor pull one in", async () => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("coordinatorX", (tx) => tx.update(schools).set({ regionId: w.regionY.id }).where(eq(schools.id, w.schoolA.id))),
      "42501",
      rlsViolation("schools"),
    );
    const pulled = await w.as("coordinatorX", (tx) =>
      tx.update(schools).set({ regionId: w.regionX.id }).where(eq(schools.id, w.schoolB.id)).returning({ id: schools.id }),
    );
    expect(pulled).toEqual([]);
    const rows = await ownerRead("select id, region_id from public.schools where id = any($1)", [[w.schoolA.id, w.schoolB.id]]);
    expect(Object.fromEntries(rows.map((r) => [w.label(r.id as string), w.label(r.region_id as string)]))).toEqual({
      schoolA: "regionX",
      schoolB: "regionY",
    });
  });

  it.each(["teacherA", "adminA", "coordinatorY"] as const)("%s cannot edit or remove school A", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    const renamed = await w.as(persona, (tx) =>
      tx.update(schools).set({ nameZh: "改名" }).where(eq(schools.id, w.schoolA.id)).returning({ id: schools.id }),
    );
    const removed = await w.as(persona, (tx) => tx.delete(schools).where(eq(schools.id, w.schoolA.id)).returning({ id: schools.id }));
    expect([renamed.length, removed.length]).toEqual([0, 0]);
    expect(await ownerRead("select name_zh <> '改名' as unchanged from public.schools where id = $1", [w.schoolA.id])).toEqual([
      { unchanged: true },
    ]);
  });

  it("a platform admin moves a school to another region, and updated_at follows", async () => {
    const w = await createPersonaWorld(database.handle);
    const [before] = await ownerRead("select updated_at from public.schools where id = $1", [w.schoolA.id]);
    const [moved] = await w.as("platformAdmin", (tx) =>
      tx.update(schools).set({ regionId: w.regionY.id }).where(eq(schools.id, w.schoolA.id)).returning(),
    );
    expect(moved.regionId).toBe(w.regionY.id);
    expect(moved.updatedAt.getTime()).toBeGreaterThan(new Date(before.updated_at as string).getTime());
  });

  it("a school's stage is one of primary, middle, high, vocational", async () => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      database.handle.query(`update public.schools set stage = 'kindergarten' where id = $1`, [w.schoolA.id]),
      "23514",
      'new row for relation "schools" violates check constraint "schools_stage_check"',
    );
    const stages = await w.as("platformAdmin", (tx) =>
      tx
        .select({ stage: schools.stage })
        .from(schools)
        .where(inArray(schools.id, [w.schoolA.id, w.schoolB.id])),
    );
    expect(stages).toEqual([{ stage: "primary" }, { stage: "primary" }]);
  });
});

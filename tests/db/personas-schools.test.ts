import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Transaction } from "../../app/db/client.server";
import { classrooms, schoolMemberships } from "../../app/db/schema";
import { setupTestDatabase } from "../support/db-suite";
import { createPersonaWorld, SIGNED_IN_PERSONAS, type PersonaWorld, type SignedInPersona } from "../support/personas";
import { expectPgError, permissionDenied, rlsViolation } from "../support/pg-error";

const database = setupTestDatabase();

const worldSchools = (w: PersonaWorld) => [w.schoolA.id, w.schoolB.id];

async function visibleMemberships(w: PersonaWorld, persona: SignedInPersona) {
  const rows = await w.as(persona, (tx) =>
    tx
      .select({ schoolId: schoolMemberships.schoolId, userId: schoolMemberships.userId, role: schoolMemberships.role })
      .from(schoolMemberships)
      .where(inArray(schoolMemberships.schoolId, worldSchools(w))),
  );
  return rows.map((r) => `${w.label(r.userId)}:${r.role}@${w.label(r.schoolId)}`).sort();
}

async function visibleClassrooms(w: PersonaWorld, persona: SignedInPersona) {
  const rows = await w.as(persona, (tx) =>
    tx
      .select({ id: classrooms.id })
      .from(classrooms)
      .where(inArray(classrooms.schoolId, worldSchools(w))),
  );
  return rows.map((r) => w.label(r.id)).sort();
}

const membershipsOf = (userId: string) =>
  database.handle.query<{ school_id: string; role: string }>(
    "select school_id, role from public.school_memberships where user_id = $1 order by role",
    [userId],
  );

const A = ["adminA:school_admin@schoolA", "teacherA:teacher@schoolA"];
const B = ["teacherB:teacher@schoolB"];

describe("school memberships: who sees them", () => {
  const expected: Record<SignedInPersona, string[]> = {
    stranger: [],
    teacherA: A,
    adminA: A,
    teacherB: B,
    coordinatorX: A,
    coordinatorY: B,
    platformAdmin: [...A, ...B],
  };
  it.each(SIGNED_IN_PERSONAS)("%s", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    expect(await visibleMemberships(w, persona)).toEqual(expected[persona]);
  });

  it("a user sees their own memberships in every school", async () => {
    const w = await createPersonaWorld(database.handle);
    await database.handle.query("insert into public.school_memberships (school_id, user_id, role) values ($1, $2, 'teacher')", [
      w.schoolB.id,
      w.users.teacherA.id,
    ]);
    expect(await visibleMemberships(w, "teacherA")).toEqual([...A, "teacherA:teacher@schoolB", ...B].sort());
  });
});

describe("school memberships: who changes them", () => {
  const addStranger =
    (w: PersonaWorld, schoolId: string, role: "teacher" | "school_admin" = "teacher") =>
    (tx: Transaction) =>
      tx.insert(schoolMemberships).values({ schoolId, userId: w.users.stranger.id, role }).returning();

  it.each(["adminA", "coordinatorX", "platformAdmin"] as const)("%s adds a teacher to school A", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    const [added] = await w.as(persona, addStranger(w, w.schoolA.id));
    expect(added).toMatchObject({ schoolId: w.schoolA.id, userId: w.users.stranger.id, createdBy: w.users[persona].id });
    expect(await visibleClassrooms(w, "stranger")).toEqual(["classroomA"]);
  });

  it.each(["stranger", "teacherA", "teacherB", "coordinatorY"] as const)("%s cannot add anyone to school A", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as(persona, (tx) => tx.insert(schoolMemberships).values({ schoolId: w.schoolA.id, userId: w.users.teacherB.id, role: "teacher" })),
      "42501",
      rlsViolation("school_memberships"),
    );
  });

  it.each(["adminA", "coordinatorX"] as const)("%s cannot add anyone to school B in region Y", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(w.as(persona, addStranger(w, w.schoolB.id)), "42501", rlsViolation("school_memberships"));
    expect(await membershipsOf(w.users.stranger.id)).toEqual([]);
  });

  it.each([
    ["the school admin adds themself as a teacher", "adminA", "teacher"],
    ["a teacher makes themself school admin", "teacherA", "school_admin"],
    ["the region's coordinator joins a school", "coordinatorX", "school_admin"],
    ["a platform admin joins a school", "platformAdmin", "teacher"],
  ] as const)("no one grants themself a role: %s", async (_, persona, role) => {
    const w = await createPersonaWorld(database.handle);
    const before = await membershipsOf(w.users[persona].id);
    await expectPgError(
      w.as(persona, (tx) => tx.insert(schoolMemberships).values({ schoolId: w.schoolA.id, userId: w.users[persona].id, role })),
      "42501",
      rlsViolation("school_memberships"),
    );
    expect(await membershipsOf(w.users[persona].id)).toEqual(before);
  });

  it("a teacher cannot promote themself by editing their membership either", async () => {
    const w = await createPersonaWorld(database.handle);
    const promoted = await w.as("teacherA", (tx) =>
      tx.update(schoolMemberships).set({ role: "school_admin" }).where(eq(schoolMemberships.userId, w.users.teacherA.id)).returning(),
    );
    expect(promoted).toEqual([]);
    expect(await membershipsOf(w.users.teacherA.id)).toEqual([{ school_id: w.schoolA.id, role: "teacher" }]);
  });

  it("the school admin's own role change is refused too", async () => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("adminA", (tx) => tx.update(schoolMemberships).set({ role: "teacher" }).where(eq(schoolMemberships.userId, w.users.adminA.id))),
      "42501",
      rlsViolation("school_memberships"),
    );
  });

  it("the school admin promotes a teacher of A, but not one of B", async () => {
    const w = await createPersonaWorld(database.handle);
    const promotedA = await w.as("adminA", (tx) =>
      tx.update(schoolMemberships).set({ role: "school_admin" }).where(eq(schoolMemberships.userId, w.users.teacherA.id)).returning(),
    );
    const promotedB = await w.as("adminA", (tx) =>
      tx.update(schoolMemberships).set({ role: "school_admin" }).where(eq(schoolMemberships.userId, w.users.teacherB.id)).returning(),
    );
    expect([promotedA.length, promotedB.length]).toEqual([1, 0]);
    expect(await membershipsOf(w.users.teacherB.id)).toEqual([{ school_id: w.schoolB.id, role: "teacher" }]);
  });

  it("a membership cannot be moved to another school or person", async () => {
    const w = await createPersonaWorld(database.handle);
    const teacherAsMembership = eq(schoolMemberships.userId, w.users.teacherA.id);
    await expectPgError(
      w.as("platformAdmin", (tx) => tx.update(schoolMemberships).set({ schoolId: w.schoolB.id }).where(teacherAsMembership)),
      "42501",
      permissionDenied("school_memberships"),
    );
    await expectPgError(
      w.as("platformAdmin", (tx) => tx.update(schoolMemberships).set({ userId: w.users.stranger.id }).where(teacherAsMembership)),
      "42501",
      permissionDenied("school_memberships"),
    );
  });

  it("created_by cannot name someone else", async () => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("adminA", (tx) =>
        tx
          .insert(schoolMemberships)
          .values({ schoolId: w.schoolA.id, userId: w.users.stranger.id, role: "teacher", createdBy: w.users.platformAdmin.id }),
      ),
      "42501",
      rlsViolation("school_memberships"),
    );
  });

  it.each(["coordinatorX", "adminA", "teacherA"] as const)("%s cannot remove or edit memberships of school B", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    const ofB = eq(schoolMemberships.schoolId, w.schoolB.id);
    const edited = await w.as(persona, (tx) => tx.update(schoolMemberships).set({ role: "school_admin" }).where(ofB).returning());
    const removed = await w.as(persona, (tx) => tx.delete(schoolMemberships).where(ofB).returning());
    expect([edited.length, removed.length]).toEqual([0, 0]);
    expect(await membershipsOf(w.users.teacherB.id)).toEqual([{ school_id: w.schoolB.id, role: "teacher" }]);
  });

  it("a teacher cannot remove a colleague", async () => {
    const w = await createPersonaWorld(database.handle);
    const removed = await w.as("teacherA", (tx) =>
      tx.delete(schoolMemberships).where(eq(schoolMemberships.userId, w.users.adminA.id)).returning(),
    );
    expect(removed).toEqual([]);
    expect(await membershipsOf(w.users.adminA.id)).toHaveLength(1);
  });

  it("a teacher who leaves loses the school's classrooms and colleagues at once", async () => {
    const w = await createPersonaWorld(database.handle);
    expect(await visibleClassrooms(w, "teacherA")).toEqual(["classroomA"]);
    const left = await w.as("teacherA", (tx) =>
      tx.delete(schoolMemberships).where(eq(schoolMemberships.userId, w.users.teacherA.id)).returning(),
    );
    expect(left).toHaveLength(1);
    expect(await visibleClassrooms(w, "teacherA")).toEqual([]);
    expect(await visibleMemberships(w, "teacherA")).toEqual([]);
  });

  it("a teacher removed by the school admin loses the school's classrooms at once", async () => {
    const w = await createPersonaWorld(database.handle);
    const removed = await w.as("adminA", (tx) =>
      tx
        .delete(schoolMemberships)
        .where(and(eq(schoolMemberships.schoolId, w.schoolA.id), eq(schoolMemberships.userId, w.users.teacherA.id)))
        .returning(),
    );
    expect(removed).toHaveLength(1);
    expect(await visibleClassrooms(w, "teacherA")).toEqual([]);
  });
});

describe("classrooms", () => {
  const expected: Record<SignedInPersona, string[]> = {
    stranger: [],
    teacherA: ["classroomA"],
    adminA: ["classroomA"],
    teacherB: ["classroomB"],
    coordinatorX: ["classroomA"],
    coordinatorY: ["classroomB"],
    platformAdmin: ["classroomA", "classroomB"],
  };
  it.each(SIGNED_IN_PERSONAS)("%s sees the classrooms of their schools", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    expect(await visibleClassrooms(w, persona)).toEqual(expected[persona]);
  });

  it.each(["adminA", "coordinatorX", "platformAdmin"] as const)("%s adds, renames and removes a classroom of A", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    const [room] = await w.as(persona, (tx) =>
      tx.insert(classrooms).values({ schoolId: w.schoolA.id, name: "录播教室", deviceNote: "希沃一体机" }).returning(),
    );
    const renamed = await w.as(persona, (tx) =>
      tx.update(classrooms).set({ name: "同步课堂教室", grade: "三年级" }).where(eq(classrooms.id, room.id)).returning(),
    );
    expect(renamed).toMatchObject([{ name: "同步课堂教室", grade: "三年级", deviceNote: "希沃一体机" }]);
    const removed = await w.as(persona, (tx) => tx.delete(classrooms).where(eq(classrooms.id, room.id)).returning());
    expect(removed).toHaveLength(1);
  });

  it.each(["stranger", "teacherA", "teacherB", "coordinatorY"] as const)("%s cannot add a classroom to A", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as(persona, (tx) => tx.insert(classrooms).values({ schoolId: w.schoolA.id, name: "录播教室" })),
      "42501",
      rlsViolation("classrooms"),
    );
  });

  it.each(["adminA", "coordinatorX"] as const)("%s cannot add, edit or remove classrooms of B", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as(persona, (tx) => tx.insert(classrooms).values({ schoolId: w.schoolB.id, name: "录播教室" })),
      "42501",
      rlsViolation("classrooms"),
    );
    const edited = await w.as(persona, (tx) =>
      tx.update(classrooms).set({ name: "改名" }).where(eq(classrooms.id, w.classroomB.id)).returning(),
    );
    const removed = await w.as(persona, (tx) => tx.delete(classrooms).where(eq(classrooms.id, w.classroomB.id)).returning());
    expect([edited.length, removed.length]).toEqual([0, 0]);
    expect(await database.handle.query("select name from public.classrooms where id = $1", [w.classroomB.id])).toEqual([
      { name: "B 一年级一班" },
    ]);
  });

  it("a teacher can neither edit nor remove the school's classroom", async () => {
    const w = await createPersonaWorld(database.handle);
    const edited = await w.as("teacherA", (tx) =>
      tx.update(classrooms).set({ deviceNote: "坏了" }).where(eq(classrooms.id, w.classroomA.id)).returning(),
    );
    const removed = await w.as("teacherA", (tx) => tx.delete(classrooms).where(eq(classrooms.id, w.classroomA.id)).returning());
    expect([edited.length, removed.length]).toEqual([0, 0]);
    expect(await visibleClassrooms(w, "teacherA")).toEqual(["classroomA"]);
  });

  it("a classroom cannot be moved to another school", async () => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("platformAdmin", (tx) => tx.update(classrooms).set({ schoolId: w.schoolB.id }).where(eq(classrooms.id, w.classroomA.id))),
      "42501",
      permissionDenied("classrooms"),
    );
  });
});

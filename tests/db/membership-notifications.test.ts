import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications, schoolMemberships } from "../../app/db/schema";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { setupTestDatabase } from "../support/db-suite";
import { addMembership, createRegion, createSchool, createUser } from "../support/factories";
import { createLessonPlanWorld } from "../support/lesson-plan-world";

const database = setupTestDatabase();

const notificationsOf = (userId: string) =>
  database.handle.query<{ kind: string; data: Record<string, unknown>; read_at: Date | null }>(
    "select kind, data, read_at from public.notifications where user_id = $1",
    [userId],
  );

describe("being added to a school", () => {
  it("notifies the new member, who alone can read it", async () => {
    const region = await createRegion(database.handle);
    const school = await createSchool(database.handle, region.id);
    const admin = await createUser(database.handle);
    await addMembership(database.handle, school.id, admin.id, "school_admin");
    const newcomer = await createUser(database.handle);

    await withUserTransaction(database.handle.db, admin.claims, (tx) =>
      tx.insert(schoolMemberships).values({ schoolId: school.id, userId: newcomer.id, role: "teacher" }),
    );
    expect(await notificationsOf(newcomer.id)).toEqual([
      { kind: "school_membership_added", data: { school_id: school.id, role: "teacher", added_by: admin.id }, read_at: null },
    ]);
    expect(await notificationsOf(admin.id)).toEqual([]);
    const seenByAdmin = await withUserTransaction(database.handle.db, admin.claims, (tx) =>
      tx.select().from(notifications).where(eq(notifications.userId, newcomer.id)),
    );
    expect(seenByAdmin).toEqual([]);
    const seenByNewcomer = await withUserTransaction(database.handle.db, newcomer.claims, (tx) => tx.select().from(notifications));
    expect(seenByNewcomer.map((n) => n.kind)).toEqual(["school_membership_added"]);
  });

  it("notifies nobody when system work adds members (the seed)", async () => {
    const region = await createRegion(database.handle);
    const school = await createSchool(database.handle, region.id);
    const teacher = await createUser(database.handle);
    await addMembership(database.handle, school.id, teacher.id, "teacher");
    expect(await notificationsOf(teacher.id)).toEqual([]);
  });
});

describe("being made co-author of a lesson plan", () => {
  it("notifies each new co-author once, naming the plan; not the one who added them, not again on later edits", async () => {
    const w = await createLessonPlanWorld(database.handle);
    const pairing = await w.pairingIn("active");
    const { leadA, coauthorB, teacherA, teacherB } = w.users;
    const id = await w.createPlan(pairing.id, { title: "秋天的雨", coauthorIds: [coauthorB.id] }, "leadA");
    const told = async (userId: string) => (await notificationsOf(userId)).filter((n) => n.kind === "lesson_plan_coauthor_added");
    expect(await told(coauthorB.id)).toEqual([
      { kind: "lesson_plan_coauthor_added", data: { plan_id: id, title: "秋天的雨", added_by: leadA.id }, read_at: null },
    ]);
    expect(await told(leadA.id)).toEqual([]);
    await w.updatePlan("leadA", id, { coauthorIds: [coauthorB.id, teacherB.id] });
    expect(await told(coauthorB.id)).toHaveLength(1);
    expect((await told(teacherB.id)).map((n) => n.data.plan_id)).toEqual([id]);
    // Only the co-author reads it.
    const seenByTeacherA = await withUserTransaction(database.handle.db, teacherA.claims, (tx) =>
      tx.select().from(notifications).where(eq(notifications.userId, coauthorB.id)),
    );
    expect(seenByTeacherA).toEqual([]);
  });
});

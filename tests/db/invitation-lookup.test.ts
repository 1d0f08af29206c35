import { describe, expect, it } from "vitest";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { accountForInvitation } from "../../app/schools/invitations.server";
import { setupTestDatabase } from "../support/db-suite";
import { addCoordinator, addMembership, createRegion, createSchool, createUser } from "../support/factories";
import { expectPgError } from "../support/pg-error";

const database = setupTestDatabase();

async function lookup(claims: Parameters<typeof withUserTransaction>[1], schoolId: string, email: string) {
  return withUserTransaction(database.handle.db, claims, (tx) => accountForInvitation(tx, schoolId, email));
}

describe("account_for_invitation", () => {
  it("tells a school's managers whether an exact address has an account", async () => {
    const region = await createRegion(database.handle);
    const school = await createSchool(database.handle, region.id);
    const admin = await createUser(database.handle);
    const coordinator = await createUser(database.handle);
    await addMembership(database.handle, school.id, admin.id, "school_admin");
    await addCoordinator(database.handle, region.id, coordinator.id);
    const existing = await createUser(database.handle, { email: "Existing.Teacher@example.test" });

    expect(await lookup(admin.claims, school.id, " existing.teacher@EXAMPLE.test ")).toBe(existing.id);
    expect(await lookup(coordinator.claims, school.id, "existing.teacher@example.test")).toBe(existing.id);
    expect(await lookup(admin.claims, school.id, "nobody@example.test")).toBeNull();
    expect(await lookup(admin.claims, school.id, "existing.teacher")).toBeNull();
  });

  it("refuses everyone else, named", async () => {
    const region = await createRegion(database.handle);
    const school = await createSchool(database.handle, region.id);
    const teacher = await createUser(database.handle);
    await addMembership(database.handle, school.id, teacher.id, "teacher");
    const otherCoordinator = await createUser(database.handle);
    await addCoordinator(database.handle, (await createRegion(database.handle)).id, otherCoordinator.id);
    const stranger = await createUser(database.handle);
    for (const who of [teacher, otherCoordinator, stranger]) {
      await expectPgError(lookup(who.claims, school.id, teacher.email), "42501", "not allowed to invite to this school");
    }
    await expectPgError(lookup(null, school.id, teacher.email), "42501", "permission denied for function account_for_invitation");
  });
});

import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { coordinatorScopes, platformAdmins, profiles } from "../../app/db/schema";
import { setupTestDatabase } from "../support/db-suite";
import { createUser } from "../support/factories";
import { createPersonaWorld, SIGNED_IN_PERSONAS, type PersonaWorld, type SignedInPersona } from "../support/personas";
import { expectPgError, permissionDenied, rlsViolation } from "../support/pg-error";

const database = setupTestDatabase();

const profileOf = async (id: string) =>
  (
    await database.handle.query<{ display_name: string; preferred_language: string }>(
      "select display_name, preferred_language from public.profiles where id = $1",
      [id],
    )
  )[0];

async function visibleProfiles(w: PersonaWorld, persona: SignedInPersona) {
  const rows = await w.as(persona, (tx) => tx.select({ id: profiles.id }).from(profiles).where(inArray(profiles.id, w.userIds)));
  return rows.map((r) => w.label(r.id)).sort();
}

describe("profiles", () => {
  it("every new account gets a profile from its metadata", async () => {
    const named = await createUser(database.handle, { displayName: "  次仁卓玛 ", language: "bo" });
    const unnamed = await createUser(database.handle, { email: "zhao.lei@example.test", displayName: "", language: "fr" });
    expect(await profileOf(named.id)).toEqual({ display_name: "次仁卓玛", preferred_language: "bo" });
    expect(await profileOf(unnamed.id)).toEqual({ display_name: "zhao.lei", preferred_language: "zh-CN" });
  });

  const expected: Record<SignedInPersona, string[]> = {
    // Coordinators are public within the portal; everyone else is seen by colleagues.
    stranger: ["coordinatorX", "coordinatorY", "stranger"],
    teacherA: ["adminA", "coordinatorX", "coordinatorY", "teacherA"],
    adminA: ["adminA", "coordinatorX", "coordinatorY", "teacherA"],
    teacherB: ["coordinatorX", "coordinatorY", "teacherB"],
    coordinatorX: ["adminA", "coordinatorX", "coordinatorY", "teacherA"],
    coordinatorY: ["coordinatorX", "coordinatorY", "teacherB"],
    platformAdmin: [...SIGNED_IN_PERSONAS].sort(),
  };
  it.each(SIGNED_IN_PERSONAS)("%s sees the profiles of the people they work with", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    expect(await visibleProfiles(w, persona)).toEqual(expected[persona]);
  });

  it("a user edits their own name and language, and updated_at follows", async () => {
    const w = await createPersonaWorld(database.handle);
    const [before] = await database.handle.query<{ updated_at: string }>("select updated_at from public.profiles where id = $1", [
      w.users.teacherA.id,
    ]);
    const [after] = await w.as("teacherA", (tx) =>
      tx.update(profiles).set({ displayName: "王老师", preferredLanguage: "bo" }).where(eq(profiles.id, w.users.teacherA.id)).returning(),
    );
    expect(after).toMatchObject({ displayName: "王老师", preferredLanguage: "bo" });
    expect(after.updatedAt.getTime()).toBeGreaterThan(new Date(before.updated_at).getTime());
  });

  it.each(["adminA", "coordinatorX", "platformAdmin"] as const)("%s cannot edit someone else's profile", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    const updated = await w.as(persona, (tx) =>
      tx.update(profiles).set({ displayName: "被改了" }).where(eq(profiles.id, w.users.teacherA.id)).returning(),
    );
    expect(updated).toEqual([]);
    expect(await profileOf(w.users.teacherA.id)).toEqual({ display_name: "teacherA", preferred_language: "zh-CN" });
  });

  it.each([
    ["an empty name", { displayName: "" }, "profiles_display_name_check"],
    ["a blank name", { displayName: "   " }, "profiles_display_name_check"],
    ["a name over 80 characters", { displayName: "扎".repeat(81) }, "profiles_display_name_check"],
    ["an unknown language", { preferredLanguage: "fr" as "en" }, "profiles_preferred_language_check"],
  ])("refuses %s", async (_, change, constraint) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("teacherA", (tx) => tx.update(profiles).set(change).where(eq(profiles.id, w.users.teacherA.id))),
      "23514",
      `new row for relation "profiles" violates check constraint "${constraint}"`,
    );
    expect(await profileOf(w.users.teacherA.id)).toEqual({ display_name: "teacherA", preferred_language: "zh-CN" });
  });

  it("only the name and the language are editable, and profiles are neither added nor removed by users", async () => {
    const w = await createPersonaWorld(database.handle);
    const own = eq(profiles.id, w.users.teacherA.id);
    await expectPgError(
      w.as("teacherA", (tx) =>
        tx
          .update(profiles)
          .set({ createdAt: new Date(0) })
          .where(own),
      ),
      "42501",
      permissionDenied("profiles"),
    );
    await expectPgError(
      w.as("teacherA", (tx) => tx.update(profiles).set({ id: w.users.stranger.id }).where(own)),
      "42501",
      permissionDenied("profiles"),
    );
    await expectPgError(
      w.as("stranger", (tx) => tx.insert(profiles).values({ id: w.users.stranger.id, displayName: "twin" })),
      "42501",
      permissionDenied("profiles"),
    );
    await expectPgError(
      w.as("teacherA", (tx) => tx.delete(profiles).where(own)),
      "42501",
      permissionDenied("profiles"),
    );
  });
});

describe("coordinator scopes", () => {
  it.each(SIGNED_IN_PERSONAS)("%s sees who coordinates each region", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    const rows = await w.as(persona, (tx) =>
      tx
        .select({ regionId: coordinatorScopes.regionId, userId: coordinatorScopes.userId })
        .from(coordinatorScopes)
        .where(inArray(coordinatorScopes.regionId, [w.regionX.id, w.regionY.id])),
    );
    expect(rows.map((r) => `${w.label(r.userId)}@${w.label(r.regionId)}`).sort()).toEqual(["coordinatorX@regionX", "coordinatorY@regionY"]);
  });

  it("a platform admin appoints and removes other people's scopes", async () => {
    const w = await createPersonaWorld(database.handle);
    const [appointed] = await w.as("platformAdmin", (tx) =>
      tx.insert(coordinatorScopes).values({ regionId: w.regionX.id, userId: w.users.stranger.id }).returning(),
    );
    expect(appointed.createdBy).toBe(w.users.platformAdmin.id);
    const removed = await w.as("platformAdmin", (tx) =>
      tx.delete(coordinatorScopes).where(eq(coordinatorScopes.userId, w.users.coordinatorY.id)).returning(),
    );
    expect(removed).toHaveLength(1);
  });

  it("no one appoints themself, not even a platform admin", async () => {
    const w = await createPersonaWorld(database.handle);
    for (const persona of ["platformAdmin", "coordinatorX", "adminA", "stranger"] as const) {
      await expectPgError(
        w.as(persona, (tx) => tx.insert(coordinatorScopes).values({ regionId: w.regionY.id, userId: w.users[persona].id })),
        "42501",
        rlsViolation("coordinator_scopes"),
      );
    }
  });

  it.each(["coordinatorX", "adminA", "stranger"] as const)("%s cannot appoint anyone", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as(persona, (tx) => tx.insert(coordinatorScopes).values({ regionId: w.regionX.id, userId: w.users.teacherA.id })),
      "42501",
      rlsViolation("coordinator_scopes"),
    );
  });

  it("a platform admin cannot record someone else as the appointer", async () => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as("platformAdmin", (tx) =>
        tx.insert(coordinatorScopes).values({ regionId: w.regionX.id, userId: w.users.teacherA.id, createdBy: w.users.coordinatorX.id }),
      ),
      "42501",
      rlsViolation("coordinator_scopes"),
    );
  });

  it("only platform admins remove scopes, never their own; scopes are not edited", async () => {
    const w = await createPersonaWorld(database.handle);
    await database.handle.query("insert into public.coordinator_scopes (region_id, user_id) values ($1, $2)", [
      w.regionY.id,
      w.users.platformAdmin.id,
    ]);
    const byCoordinator = await w.as("coordinatorX", (tx) =>
      tx.delete(coordinatorScopes).where(eq(coordinatorScopes.userId, w.users.coordinatorX.id)).returning(),
    );
    const byAdminOfOwn = await w.as("platformAdmin", (tx) =>
      tx.delete(coordinatorScopes).where(eq(coordinatorScopes.userId, w.users.platformAdmin.id)).returning(),
    );
    expect([byCoordinator.length, byAdminOfOwn.length]).toEqual([0, 0]);
    const [{ count }] = await database.handle.query<{ count: number }>(
      "select count(*)::int as count from public.coordinator_scopes where region_id = any($1)",
      [[w.regionX.id, w.regionY.id]],
    );
    expect(count).toBe(3);
    await expectPgError(
      w.as("platformAdmin", (tx) =>
        tx.update(coordinatorScopes).set({ regionId: w.regionY.id }).where(eq(coordinatorScopes.userId, w.users.coordinatorX.id)),
      ),
      "42501",
      permissionDenied("coordinator_scopes"),
    );
  });
});

describe("platform admins", () => {
  it.each(SIGNED_IN_PERSONAS)("%s sees platform admins only if they are one", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    const rows = await w.as(persona, (tx) =>
      tx.select({ userId: platformAdmins.userId }).from(platformAdmins).where(inArray(platformAdmins.userId, w.userIds)),
    );
    expect(rows.map((r) => w.label(r.userId))).toEqual(persona === "platformAdmin" ? ["platformAdmin"] : []);
  });

  it("a platform admin appoints another, who then sees both; neither removes themself", async () => {
    const w = await createPersonaWorld(database.handle);
    const [appointed] = await w.as("platformAdmin", (tx) => tx.insert(platformAdmins).values({ userId: w.users.stranger.id }).returning());
    expect(appointed.createdBy).toBe(w.users.platformAdmin.id);
    const seenByNewAdmin = await w.as("stranger", (tx) =>
      tx.select({ userId: platformAdmins.userId }).from(platformAdmins).where(inArray(platformAdmins.userId, w.userIds)),
    );
    expect(seenByNewAdmin.map((r) => w.label(r.userId)).sort()).toEqual(["platformAdmin", "stranger"]);

    const selfRemoval = await w.as("stranger", (tx) =>
      tx.delete(platformAdmins).where(eq(platformAdmins.userId, w.users.stranger.id)).returning(),
    );
    expect(selfRemoval).toEqual([]);
    const removed = await w.as("stranger", (tx) =>
      tx.delete(platformAdmins).where(eq(platformAdmins.userId, w.users.platformAdmin.id)).returning(),
    );
    expect(removed.map((r) => w.label(r.userId))).toEqual(["platformAdmin"]);
  });

  it.each(SIGNED_IN_PERSONAS)("%s cannot make themself a platform admin", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as(persona, (tx) => tx.insert(platformAdmins).values({ userId: w.users[persona].id })),
      "42501",
      rlsViolation("platform_admins"),
    );
  });

  it.each(["coordinatorX", "adminA", "teacherA"] as const)("%s can neither appoint nor remove platform admins", async (persona) => {
    const w = await createPersonaWorld(database.handle);
    await expectPgError(
      w.as(persona, (tx) => tx.insert(platformAdmins).values({ userId: w.users.stranger.id })),
      "42501",
      rlsViolation("platform_admins"),
    );
    const removed = await w.as(persona, (tx) =>
      tx.delete(platformAdmins).where(eq(platformAdmins.userId, w.users.platformAdmin.id)).returning(),
    );
    expect(removed).toEqual([]);
    expect(
      await database.handle.query("select user_id from public.platform_admins where user_id = $1", [w.users.platformAdmin.id]),
    ).toHaveLength(1);
  });
});

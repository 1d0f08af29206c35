import { asc, eq } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
import { coordinatorScopes, platformAdmins, profiles, regions, schoolMemberships, schools, type Language } from "~/db/schema";

/** Who I am and every role I hold, as my own policies show them to me. */
export async function getMyRoles(tx: Transaction, userId: string) {
  const [profile] = await tx.select().from(profiles).where(eq(profiles.id, userId));
  const memberships = await tx
    .select({
      role: schoolMemberships.role,
      school: { id: schools.id, nameZh: schools.nameZh, nameBo: schools.nameBo, nameEn: schools.nameEn, stage: schools.stage },
      region: { nameZh: regions.nameZh, nameBo: regions.nameBo, nameEn: regions.nameEn },
    })
    .from(schoolMemberships)
    .innerJoin(schools, eq(schools.id, schoolMemberships.schoolId))
    .innerJoin(regions, eq(regions.id, schools.regionId))
    .where(eq(schoolMemberships.userId, userId))
    .orderBy(asc(schools.nameZh));
  const coordinates = await tx
    .select({ id: regions.id, nameZh: regions.nameZh, nameBo: regions.nameBo, nameEn: regions.nameEn })
    .from(coordinatorScopes)
    .innerJoin(regions, eq(regions.id, coordinatorScopes.regionId))
    .where(eq(coordinatorScopes.userId, userId));
  const [admin] = await tx.select().from(platformAdmins).where(eq(platformAdmins.userId, userId));
  return { profile: profile ?? null, memberships, coordinates, isPlatformAdmin: Boolean(admin) };
}

export async function getPreferredLanguage(tx: Transaction, userId: string): Promise<Language | null> {
  const [row] = await tx.select({ lng: profiles.preferredLanguage }).from(profiles).where(eq(profiles.id, userId));
  return row?.lng ?? null;
}

export async function updateProfile(
  tx: Transaction,
  userId: string,
  changes: Partial<{ displayName: string; preferredLanguage: Language }>,
) {
  return tx.update(profiles).set(changes).where(eq(profiles.id, userId)).returning({ id: profiles.id });
}

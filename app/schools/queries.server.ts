import { and, asc, eq, ilike, or, type SQL } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
import { classrooms, profiles, regions, schoolMemberships, schools } from "~/db/schema";
import type { DirectoryQuery } from "./schemas";

const regionNames = { id: regions.id, nameZh: regions.nameZh, nameBo: regions.nameBo, nameEn: regions.nameEn };

const schoolWithRegion = {
  id: schools.id,
  nameZh: schools.nameZh,
  nameBo: schools.nameBo,
  nameEn: schools.nameEn,
  stage: schools.stage,
  region: regionNames,
};

export function listRegions(tx: Transaction) {
  return tx.select(regionNames).from(regions).orderBy(asc(regions.code));
}

/** Substring search across the Chinese, Tibetan and English names (served by trigram indexes). */
export function searchSchools(tx: Transaction, query: DirectoryQuery) {
  const filters: SQL[] = [];
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(schools.nameZh, pattern), ilike(schools.nameBo, pattern), ilike(schools.nameEn, pattern))!);
  }
  if (query.region) filters.push(eq(schools.regionId, query.region));
  if (query.stage) filters.push(eq(schools.stage, query.stage));
  return tx
    .select(schoolWithRegion)
    .from(schools)
    .innerJoin(regions, eq(regions.id, schools.regionId))
    .where(and(...filters))
    .orderBy(asc(regions.code), asc(schools.nameZh))
    .limit(200);
}

/** A school with whatever of its people and classrooms the reader's policies allow. */
export async function getSchool(tx: Transaction, schoolId: string) {
  const [school] = await tx
    .select(schoolWithRegion)
    .from(schools)
    .innerJoin(regions, eq(regions.id, schools.regionId))
    .where(eq(schools.id, schoolId));
  if (!school) return null;
  const [people, rooms] = await Promise.all([
    tx
      .select({ userId: schoolMemberships.userId, role: schoolMemberships.role, displayName: profiles.displayName })
      .from(schoolMemberships)
      .innerJoin(profiles, eq(profiles.id, schoolMemberships.userId))
      .where(eq(schoolMemberships.schoolId, schoolId))
      .orderBy(asc(schoolMemberships.role), asc(profiles.displayName)),
    tx
      .select({ id: classrooms.id, name: classrooms.name, grade: classrooms.grade, deviceNote: classrooms.deviceNote })
      .from(classrooms)
      .where(eq(classrooms.schoolId, schoolId))
      .orderBy(asc(classrooms.name)),
  ]);
  return { ...school, people, classrooms: rooms };
}

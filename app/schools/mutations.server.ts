import { and, eq, inArray, sql } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
import { classrooms, coordinatorScopes, platformAdmins, regions, schoolMemberships, schools, type MembershipRole } from "~/db/schema";
import type { z } from "zod";
import type { AddClassroomSchema, SchoolSchema } from "./schemas";

/** UI hint only: the policies decide, this just hides buttons that would be refused. */
export async function canManageSchool(tx: Transaction, schoolId: string): Promise<boolean> {
  const [row] = await tx
    .select({ allowed: sql<boolean>`private.can_manage_school(${schools.id})` })
    .from(schools)
    .where(eq(schools.id, schoolId));
  return Boolean(row?.allowed);
}

/** The regions where this user may add schools: the ones they coordinate, or all for platform admins. */
export async function regionsIManage(tx: Transaction, userId: string) {
  const [admin] = await tx.select().from(platformAdmins).where(eq(platformAdmins.userId, userId));
  const coordinated = tx.select({ id: coordinatorScopes.regionId }).from(coordinatorScopes).where(eq(coordinatorScopes.userId, userId));
  return tx
    .select({ id: regions.id, nameZh: regions.nameZh, nameBo: regions.nameBo, nameEn: regions.nameEn })
    .from(regions)
    .where(admin ? undefined : inArray(regions.id, coordinated))
    .orderBy(regions.code);
}

export async function createSchool(tx: Transaction, values: z.infer<typeof SchoolSchema>) {
  const [row] = await tx.insert(schools).values(values).returning({ id: schools.id });
  return row;
}

export async function updateSchool(tx: Transaction, schoolId: string, values: z.infer<typeof SchoolSchema>) {
  return tx.update(schools).set(values).where(eq(schools.id, schoolId)).returning({ id: schools.id });
}

export async function addClassroom(tx: Transaction, schoolId: string, values: z.infer<typeof AddClassroomSchema>) {
  const { name, grade, deviceNote } = values;
  return tx.insert(classrooms).values({ schoolId, name, grade, deviceNote }).returning({ id: classrooms.id });
}

export async function removeClassroom(tx: Transaction, schoolId: string, classroomId: string) {
  return tx
    .delete(classrooms)
    .where(and(eq(classrooms.id, classroomId), eq(classrooms.schoolId, schoolId)))
    .returning({ id: classrooms.id });
}

/** Takes effect at once: the next request of the removed member no longer sees the school's rooms and people. */
export async function removeMembership(tx: Transaction, schoolId: string, userId: string, role: MembershipRole) {
  return tx
    .delete(schoolMemberships)
    .where(and(eq(schoolMemberships.schoolId, schoolId), eq(schoolMemberships.userId, userId), eq(schoolMemberships.role, role)))
    .returning({ id: schoolMemberships.id });
}

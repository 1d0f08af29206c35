import type { DbHandle, Transaction } from "../../app/db/client.server";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { addCoordinator, addMembership, addPlatformAdmin, createClassroom, createRegion, createSchool, createUser } from "./factories";

export const SIGNED_IN_PERSONAS = ["stranger", "teacherA", "adminA", "teacherB", "coordinatorX", "coordinatorY", "platformAdmin"] as const;
export type SignedInPersona = (typeof SIGNED_IN_PERSONAS)[number];
export type Persona = "anonymous" | SignedInPersona;

type User = Awaited<ReturnType<typeof createUser>>;

/**
 * Two regions X and Y with one school each (A in X, B in Y), one classroom per school,
 * and a user for each persona: a stranger (signed in, no role), a teacher and the school
 * admin of A, a teacher of B, a coordinator of each region and a platform admin.
 * Every call builds a new world, so tests never share rows.
 */
export async function createPersonaWorld(handle: DbHandle) {
  const regionX = await createRegion(handle);
  const regionY = await createRegion(handle);
  const schoolA = await createSchool(handle, regionX.id);
  const schoolB = await createSchool(handle, regionY.id);
  const classroomA = await createClassroom(handle, schoolA.id, "A 一年级一班");
  const classroomB = await createClassroom(handle, schoolB.id, "B 一年级一班");

  const users = {} as Record<SignedInPersona, User>;
  for (const persona of SIGNED_IN_PERSONAS) users[persona] = await createUser(handle, { displayName: persona });
  await addMembership(handle, schoolA.id, users.teacherA.id, "teacher");
  await addMembership(handle, schoolA.id, users.adminA.id, "school_admin");
  await addMembership(handle, schoolB.id, users.teacherB.id, "teacher");
  await addCoordinator(handle, regionX.id, users.coordinatorX.id);
  await addCoordinator(handle, regionY.id, users.coordinatorY.id);
  await addPlatformAdmin(handle, users.platformAdmin.id);

  const labels = new Map<string, string>([
    [regionX.id, "regionX"],
    [regionY.id, "regionY"],
    [schoolA.id, "schoolA"],
    [schoolB.id, "schoolB"],
    [classroomA.id, "classroomA"],
    [classroomB.id, "classroomB"],
    ...SIGNED_IN_PERSONAS.map((p) => [users[p].id, p] as [string, string]),
  ]);

  return {
    regionX,
    regionY,
    schoolA,
    schoolB,
    classroomA,
    classroomB,
    users,
    userIds: SIGNED_IN_PERSONAS.map((p) => users[p].id),
    /** Runs `work` in a transaction as `persona`, as the app does for a request. */
    as<T>(persona: Persona, work: (tx: Transaction) => Promise<T>): Promise<T> {
      return withUserTransaction(handle.db, persona === "anonymous" ? null : users[persona].claims, work);
    },
    /** Names this world's ids (for readable assertions); unknown ids stay as they are. */
    label(id: string): string {
      return labels.get(id) ?? id;
    },
  };
}

export type PersonaWorld = Awaited<ReturnType<typeof createPersonaWorld>>;

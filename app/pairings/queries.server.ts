import { aliasedTable, and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
import { beforeCursor, cursorTime, keysetCursor, parseKeysetCursor } from "~/db/keyset";
import {
  coordinatorScopes,
  notifications,
  pairingEvents,
  pairingGoals,
  pairings,
  platformAdmins,
  profiles,
  regions,
  schoolMemberships,
  schools,
} from "~/db/schema";

const schoolA = aliasedTable(schools, "school_a");
const schoolB = aliasedTable(schools, "school_b");
const regionA = aliasedTable(regions, "region_a");
const regionB = aliasedTable(regions, "region_b");

const school = (s: typeof schoolA) => ({ id: s.id, nameZh: s.nameZh, nameBo: s.nameBo, nameEn: s.nameEn, stage: s.stage });
const region = (r: typeof regionA) => ({ id: r.id, nameZh: r.nameZh, nameBo: r.nameBo, nameEn: r.nameEn });

type Row = Awaited<ReturnType<ReturnType<typeof selectPairings>["execute"]>>[number];

/** Drizzle nests one level: each side's region is attached here. */
function withSides({ schoolA: a, regionA: ra, schoolB: b, regionB: rb, at: _at, ...pairing }: Row) {
  return { ...pairing, schoolA: { ...a, region: ra }, schoolB: { ...b, region: rb } };
}

function selectPairings(tx: Transaction) {
  return tx
    .select({
      id: pairings.id,
      status: pairings.status,
      version: pairings.version,
      proposedAt: pairings.proposedAt,
      decidedAt: pairings.decidedAt,
      decisionReason: pairings.decisionReason,
      startedAt: pairings.startedAt,
      endedAt: pairings.endedAt,
      schoolA: school(schoolA),
      regionA: region(regionA),
      schoolB: school(schoolB),
      regionB: region(regionB),
      // The list's keyset cursor (withSides leaves it out).
      at: cursorTime(pairings.proposedAt),
    })
    .from(pairings)
    .innerJoin(schoolA, eq(schoolA.id, pairings.schoolAId))
    .innerJoin(regionA, eq(regionA.id, schoolA.regionId))
    .innerJoin(schoolB, eq(schoolB.id, pairings.schoolBId))
    .innerJoin(regionB, eq(regionB.id, schoolB.regionId));
}

/** How many pairings /pairings shows at a time. */
export const PAIRINGS_PAGE = 50;

/**
 * A page of the pairings the reader's policies show them, newest first: those proposed before
 * `before` (a cursor this function returned as `older`). A coordinator of a district follows
 * hundreds; the list never sends them all.
 */
export async function listPairings(tx: Transaction, options: { before?: string | null; limit?: number } = {}) {
  const limit = options.limit ?? PAIRINGS_PAGE;
  const cursor = parseKeysetCursor(options.before);
  const rows = await selectPairings(tx)
    .where(beforeCursor(cursor, pairings.proposedAt, pairings.id))
    .orderBy(desc(pairings.proposedAt), desc(pairings.id))
    .limit(limit + 1);
  const last = rows[limit - 1];
  return {
    pairings: rows.slice(0, limit).map(withSides),
    older: rows.length > limit ? keysetCursor(last.at, last.id) : null,
    /** Whether this is a later page (a cursor was given and read). */
    paged: cursor !== null,
  };
}

/**
 * Pairings waiting for a decision of a coordinator of `regionIds`: a school's request in their
 * region to forward (or decline), another region's proposal to their school to accept (or decline).
 */
export async function pairingsAwaitingDecision(tx: Transaction, regionIds: string[]) {
  if (regionIds.length === 0) return [];
  const rows = await selectPairings(tx)
    .where(
      or(
        and(eq(pairings.status, "requested"), inArray(regionA.id, regionIds)),
        and(eq(pairings.status, "proposed"), inArray(regionB.id, regionIds)),
      ),
    )
    .orderBy(asc(pairings.proposedAt))
    .limit(50);
  return rows.map(withSides);
}

/** A pairing with its goals and the people of both schools, as far as policies allow. */
export async function getPairing(tx: Transaction, pairingId: string) {
  const [row] = await selectPairings(tx).where(eq(pairings.id, pairingId));
  if (!row) return null;
  const pairing = withSides(row);
  const [goals, people] = await Promise.all([
    tx.select().from(pairingGoals).where(eq(pairingGoals.pairingId, pairingId)).orderBy(desc(pairingGoals.term)),
    tx
      .select({
        schoolId: schoolMemberships.schoolId,
        userId: schoolMemberships.userId,
        role: schoolMemberships.role,
        displayName: profiles.displayName,
      })
      .from(schoolMemberships)
      .innerJoin(profiles, eq(profiles.id, schoolMemberships.userId))
      .where(inArray(schoolMemberships.schoolId, [pairing.schoolA.id, pairing.schoolB.id]))
      .orderBy(asc(schoolMemberships.role), asc(profiles.displayName)),
  ]);
  return { ...pairing, goals, people };
}

/** How many timeline entries the workspace shows at a time. */
export const TIMELINE_PAGE = 30;

/**
 * A page of the pairing's timeline, newest first: the entries before `before` (a cursor this
 * function returned as `older`; anything else reads as the newest page). A pairing gathers
 * hundreds of entries a year, so the workspace never sends them all.
 */
export async function listPairingEvents(tx: Transaction, pairingId: string, options: { before?: string | null; limit?: number } = {}) {
  const limit = options.limit ?? TIMELINE_PAGE;
  const cursor = parseKeysetCursor(options.before);
  const rows = await tx
    .select({
      id: pairingEvents.id,
      kind: pairingEvents.kind,
      reason: pairingEvents.reason,
      data: pairingEvents.data,
      createdAt: pairingEvents.createdAt,
      actorName: profiles.displayName,
      at: cursorTime(pairingEvents.createdAt),
    })
    .from(pairingEvents)
    .leftJoin(profiles, eq(profiles.id, pairingEvents.actorId))
    .where(and(eq(pairingEvents.pairingId, pairingId), beforeCursor(cursor, pairingEvents.createdAt, pairingEvents.id)))
    .orderBy(desc(pairingEvents.createdAt), desc(pairingEvents.id))
    .limit(limit + 1);
  const events = rows.slice(0, limit).map(({ at: _, ...event }) => event);
  const last = rows[limit - 1];
  return { events, older: rows.length > limit ? keysetCursor(last.at, last.id) : null, paged: cursor !== null };
}

/** The words written with each term's goals: the latest request's or proposal's note, by term. */
export async function goalNotes(tx: Transaction, pairingId: string): Promise<Record<string, string>> {
  const rows = await tx
    .select({ term: sql<string | null>`${pairingEvents.data} ->> 'term'`, reason: pairingEvents.reason })
    .from(pairingEvents)
    .where(
      and(
        eq(pairingEvents.pairingId, pairingId),
        inArray(pairingEvents.kind, ["requested", "proposed"]),
        sql`${pairingEvents.reason} is not null`,
      ),
    )
    .orderBy(desc(pairingEvents.createdAt));
  const notes: Record<string, string> = {};
  for (const row of rows) if (row.term && row.reason && !(row.term in notes)) notes[row.term] = row.reason;
  return notes;
}

/** What the reader is to each side — UI hints only; the transition functions decide. */
export async function myStanding(
  tx: Transaction,
  userId: string,
  schoolIds: { a: string; b: string },
  regionIds: { a: string; b: string },
) {
  const [admin] = await tx.select().from(platformAdmins).where(eq(platformAdmins.userId, userId));
  const scopes = await tx
    .select({ regionId: coordinatorScopes.regionId })
    .from(coordinatorScopes)
    .where(and(eq(coordinatorScopes.userId, userId), inArray(coordinatorScopes.regionId, [regionIds.a, regionIds.b])));
  const adminOf = await tx
    .select({ schoolId: schoolMemberships.schoolId })
    .from(schoolMemberships)
    .where(
      and(eq(schoolMemberships.userId, userId), eq(schoolMemberships.role, "school_admin"), eq(schoolMemberships.schoolId, schoolIds.a)),
    );
  return {
    platformAdmin: Boolean(admin),
    coordinatesA: scopes.some((s) => s.regionId === regionIds.a),
    coordinatesB: scopes.some((s) => s.regionId === regionIds.b),
    adminOfA: adminOf.length > 0,
  };
}

/** Schools the reader may propose from: in regions they coordinate, or where they are school admin. */
export function schoolsIMayProposeFrom(tx: Transaction, userId: string) {
  const coordinated = tx.select({ id: coordinatorScopes.regionId }).from(coordinatorScopes).where(eq(coordinatorScopes.userId, userId));
  const administered = tx
    .select({ id: schoolMemberships.schoolId })
    .from(schoolMemberships)
    .where(and(eq(schoolMemberships.userId, userId), eq(schoolMemberships.role, "school_admin")));
  return tx
    .select({ id: schools.id, nameZh: schools.nameZh, nameBo: schools.nameBo, nameEn: schools.nameEn, regionId: schools.regionId })
    .from(schools)
    .where(or(inArray(schools.regionId, coordinated), inArray(schools.id, administered)))
    .orderBy(asc(schools.nameZh));
}

export async function unreadNotificationCount(tx: Transaction, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** The reader's notifications, newest first, with the two schools of the pairing each one is about (where the reader may still see it). */
export async function listNotifications(tx: Transaction, userId: string) {
  const rows = await tx
    .select({
      id: notifications.id,
      kind: notifications.kind,
      pairingId: notifications.pairingId,
      data: notifications.data,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      schoolA: { nameZh: schoolA.nameZh, nameBo: schoolA.nameBo, nameEn: schoolA.nameEn },
      schoolB: { nameZh: schoolB.nameZh, nameBo: schoolB.nameBo, nameEn: schoolB.nameEn },
    })
    .from(notifications)
    .leftJoin(pairings, eq(pairings.id, notifications.pairingId))
    .leftJoin(schoolA, eq(schoolA.id, pairings.schoolAId))
    .leftJoin(schoolB, eq(schoolB.id, pairings.schoolBId))
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt))
    .limit(100);
  return rows.map(({ schoolA: a, schoolB: b, ...notification }) => ({
    ...notification,
    schools: a?.nameZh && b?.nameZh ? { a: { ...a, nameZh: a.nameZh }, b: { ...b, nameZh: b.nameZh } } : null,
  }));
}

export function markNotificationsRead(tx: Transaction, userId: string, ids: string[] | "all") {
  return tx
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), ids === "all" ? undefined : inArray(notifications.id, ids)))
    .returning({ id: notifications.id });
}

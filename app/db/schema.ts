import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  LANGUAGES,
  MEMBERSHIP_ROLES,
  NOTIFICATION_KINDS,
  OPEN_PAIRING_STATUSES,
  PAIRING_EVENT_KINDS,
  PAIRING_STATUSES,
  STAGES,
  SUBJECTS,
  type Subject,
} from "./enums";

/**
 * The tables as drizzle sees them, for typed queries. The source of truth is the SQL in
 * supabase/migrations (tables, RLS and policies together); tests/db checks the two agree.
 */

const authSchema = pgSchema("auth");
export const authUsers = authSchema.table("users", {
  id: uuid("id").primaryKey(),
  email: text("email"),
});

export { LANGUAGES, MEMBERSHIP_ROLES, STAGES, type Language, type MembershipRole, type Stage } from "./enums";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const regions = pgTable("regions", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: text("code").notNull().unique(),
  nameZh: text("name_zh").notNull(),
  nameBo: text("name_bo"),
  nameEn: text("name_en"),
  provinceZh: text("province_zh"),
  createdAt: createdAt(),
});

export const schools = pgTable(
  "schools",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    regionId: uuid("region_id")
      .notNull()
      .references(() => regions.id, { onDelete: "restrict" }),
    nameZh: text("name_zh").notNull(),
    nameBo: text("name_bo"),
    nameEn: text("name_en"),
    stage: text("stage", { enum: STAGES }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.regionId, t.nameZh), check("schools_stage_check", sql`${t.stage} in ('primary','middle','high','vocational')`)],
);

export const profiles = pgTable("profiles", {
  id: uuid("id")
    .primaryKey()
    .references(() => authUsers.id, { onDelete: "cascade" }),
  displayName: text("display_name").notNull(),
  preferredLanguage: text("preferred_language", { enum: LANGUAGES }).notNull().default("zh-CN"),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const schoolMemberships = pgTable(
  "school_memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    schoolId: uuid("school_id")
      .notNull()
      .references(() => schools.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "cascade" }),
    role: text("role", { enum: MEMBERSHIP_ROLES }).notNull(),
    createdAt: createdAt(),
    createdBy: uuid("created_by"),
  },
  (t) => [unique().on(t.schoolId, t.userId, t.role)],
);

export const coordinatorScopes = pgTable(
  "coordinator_scopes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    regionId: uuid("region_id")
      .notNull()
      .references(() => regions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    createdBy: uuid("created_by"),
  },
  (t) => [unique().on(t.regionId, t.userId)],
);

export const platformAdmins = pgTable("platform_admins", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => profiles.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
  createdBy: uuid("created_by"),
});

export const classrooms = pgTable(
  "classrooms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    schoolId: uuid("school_id")
      .notNull()
      .references(() => schools.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    grade: text("grade"),
    deviceNote: text("device_note"),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.schoolId, t.name)],
);

export {
  NOTIFICATION_KINDS,
  PAIRING_EVENT_KINDS,
  PAIRING_STATUSES,
  SUBJECTS,
  type NotificationKind,
  type PairingEventKind,
  type PairingStatus,
  type Subject,
} from "./enums";

const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(","));

/** Written only by the functions propose_pairing / transition_pairing / set_pairing_goals. */
export const pairings = pgTable(
  "pairings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    schoolAId: uuid("school_a_id")
      .notNull()
      .references(() => schools.id, { onDelete: "no action" }),
    schoolBId: uuid("school_b_id")
      .notNull()
      .references(() => schools.id, { onDelete: "no action" }),
    status: text("status", { enum: PAIRING_STATUSES }).notNull(),
    proposedBy: uuid("proposed_by")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    proposedAt: timestamp("proposed_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid("decided_by").references(() => profiles.id, { onDelete: "no action" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionReason: text("decision_reason"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("pairings_status_check", sql`${t.status} in (${inList(PAIRING_STATUSES)})`),
    check("pairings_decision_reason_check", sql`char_length(${t.decisionReason}) <= 2000`),
    check("pairings_different_schools_check", sql`${t.schoolAId} <> ${t.schoolBId}`),
    check(
      "pairings_lifecycle_check",
      sql`(${t.decidedAt} is null) = (${t.status} in ('requested','proposed'))
        and (${t.startedAt} is not null) = (${t.status} in ('active','paused','ended'))
        and (${t.endedAt} is not null) = (${t.status} = 'ended')`,
    ),
    uniqueIndex("pairings_open_school_pair_unique")
      .on(sql`least(${t.schoolAId}, ${t.schoolBId})`, sql`greatest(${t.schoolAId}, ${t.schoolBId})`)
      .where(sql`${t.status} in (${inList(OPEN_PAIRING_STATUSES)})`),
    index("pairings_school_a_id_idx").on(t.schoolAId),
    index("pairings_school_b_id_idx").on(t.schoolBId),
  ],
);

export const pairingGoals = pgTable(
  "pairing_goals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pairingId: uuid("pairing_id")
      .notNull()
      .references(() => pairings.id, { onDelete: "cascade" }),
    /** School year and semester, e.g. 2026-2027-1. */
    term: text("term").notNull(),
    jointLessonsPlanned: integer("joint_lessons_planned").notNull(),
    subjects: text("subjects").array().notNull().$type<Subject[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique().on(t.pairingId, t.term),
    check(
      "pairing_goals_term_check",
      sql`case when ${t.term} ~ '^[0-9]{4}-[0-9]{4}-[12]$'
        then split_part(${t.term}, '-', 2)::integer = split_part(${t.term}, '-', 1)::integer + 1
        else false end`,
    ),
    check("pairing_goals_joint_lessons_planned_check", sql`${t.jointLessonsPlanned} >= 0`),
    check(
      "pairing_goals_subjects_check",
      sql`cardinality(${t.subjects}) > 0 and ${t.subjects} <@ array[${inList(SUBJECTS)}]::text[]`,
    ),
  ],
);

/** The append-only activity log: no one updates or deletes a row, the owner included. */
export const pairingEvents = pgTable(
  "pairing_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pairingId: uuid("pairing_id")
      .notNull()
      .references(() => pairings.id, { onDelete: "no action" }),
    kind: text("kind", { enum: PAIRING_EVENT_KINDS }).notNull(),
    actorId: uuid("actor_id").references(() => profiles.id, { onDelete: "no action" }),
    reason: text("reason"),
    data: jsonb("data").notNull().default({}).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    check("pairing_events_kind_check", sql`${t.kind} in (${inList(PAIRING_EVENT_KINDS)})`),
    check("pairing_events_reason_check", sql`char_length(${t.reason}) <= 2000`),
    index("pairing_events_pairing_id_created_at_idx").on(t.pairingId, t.createdAt),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    pairingId: uuid("pairing_id").references(() => pairings.id, { onDelete: "cascade" }),
    data: jsonb("data").notNull().default({}).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    check("notifications_kind_check", sql`${t.kind} in (${inList(NOTIFICATION_KINDS)})`),
    index("notifications_user_id_created_at_idx").on(t.userId, t.createdAt),
    index("notifications_user_id_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
  ],
);

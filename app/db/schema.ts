import { sql } from "drizzle-orm";
import {
  check,
  customType,
  index,
  integer,
  jsonb,
  pgSchema,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import {
  LANGUAGES,
  LESSON_PLAN_STATUSES,
  LIVE_ROLES,
  LIVE_SESSION_CHANGE_REASONS,
  LIVE_SESSION_STATUSES,
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
  LESSON_PLAN_STATUSES,
  NOTIFICATION_KINDS,
  PAIRING_EVENT_KINDS,
  PAIRING_STATUSES,
  SUBJECTS,
  type LessonPlanStatus,
  type NotificationKind,
  type PairingEventKind,
  type PairingStatus,
  type Subject,
} from "./enums";

const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(","));
/** What the lesson-plan functions trim from titles and names: blank includes the full-width space. */
const BLANKS = sql.raw(String.raw`E' \t\n\r\u00a0\u3000'`);

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
    check("pairing_goals_subjects_check", sql`cardinality(${t.subjects}) > 0 and ${t.subjects} <@ array[${inList(SUBJECTS)}]::text[]`),
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
    index("notifications_user_id_unread_idx")
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

/**
 * bytea as Uint8Array on both drivers (postgres.js answers a Buffer, PGlite a Uint8Array;
 * both accept a Uint8Array as a parameter).
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength)),
});

/**
 * Lesson plans (教案) of a pairing. Written only by the functions create_lesson_plan,
 * update_lesson_plan, transition_lesson_plan and adapt_lesson_plan; the trigram index on
 * title is in the migration only (as the schools' name indexes are).
 */
export const lessonPlans = pgTable(
  "lesson_plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pairingId: uuid("pairing_id")
      .notNull()
      .references(() => pairings.id, { onDelete: "no action" }),
    /** The final plan this one adapts (复备), if it is an adaptation. */
    basePlanId: uuid("base_plan_id").references((): AnyPgColumn => lessonPlans.id, { onDelete: "no action" }),
    title: text("title").notNull(),
    subject: text("subject", { enum: SUBJECTS }).notNull(),
    grade: smallint("grade").notNull(),
    textbookUnit: text("textbook_unit"),
    periods: smallint("periods").notNull().default(1),
    /** The language the template's headings were written in. */
    language: text("language", { enum: LANGUAGES }).notNull().default("zh-CN"),
    status: text("status", { enum: LESSON_PLAN_STATUSES }).notNull().default("draft"),
    leadAuthorId: uuid("lead_author_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("lesson_plans_title_check", sql`char_length(btrim(${t.title}, ${BLANKS})) between 1 and 200`),
    check("lesson_plans_subject_check", sql`${t.subject} in (${inList(SUBJECTS)})`),
    check("lesson_plans_grade_check", sql`${t.grade} between 1 and 12`),
    check("lesson_plans_textbook_unit_check", sql`char_length(${t.textbookUnit}) <= 200`),
    check("lesson_plans_periods_check", sql`${t.periods} between 1 and 10`),
    check("lesson_plans_language_check", sql`${t.language} in (${inList(LANGUAGES)})`),
    check("lesson_plans_status_check", sql`${t.status} in (${inList(LESSON_PLAN_STATUSES)})`),
    index("lesson_plans_pairing_id_updated_at_idx").on(t.pairingId, t.updatedAt.desc()),
    index("lesson_plans_base_plan_id_idx")
      .on(t.basePlanId)
      .where(sql`${t.basePlanId} is not null`),
    index("lesson_plans_lead_author_id_idx").on(t.leadAuthorId),
  ],
);

export const lessonPlanCoauthors = pgTable(
  "lesson_plan_coauthors",
  {
    planId: uuid("plan_id")
      .notNull()
      .references(() => lessonPlans.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    addedBy: uuid("added_by").references(() => profiles.id, { onDelete: "no action" }),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "lesson_plan_coauthors_pkey", columns: [t.planId, t.userId] }),
    index("lesson_plan_coauthors_user_id_idx").on(t.userId),
  ],
);

/**
 * A plan's collaborative document: the Yjs state the collaboration server stores, with the
 * tiptap JSON and plain text derived from it (a trigram index on content_text, in the
 * migration only).
 */
export const lessonPlanDocuments = pgTable("lesson_plan_documents", {
  planId: uuid("plan_id")
    .primaryKey()
    .references(() => lessonPlans.id, { onDelete: "cascade" }),
  /** Y.encodeStateAsUpdate of the document. */
  state: bytea("state").notNull(),
  contentJson: jsonb("content_json").notNull().$type<Record<string, unknown>>(),
  contentText: text("content_text").notNull().default(""),
  /** sha256 of state, hex. */
  stateHash: text("state_hash").notNull(),
  updatedAt: updatedAt(),
});

/** Named versions of a plan's document: kept, never changed (the owner included). */
export const lessonPlanVersions = pgTable(
  "lesson_plan_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => lessonPlans.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    state: bytea("state").notNull(),
    contentJson: jsonb("content_json").notNull().$type<Record<string, unknown>>(),
    contentText: text("content_text").notNull().default(""),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    createdAt: createdAt(),
  },
  (t) => [
    check("lesson_plan_versions_name_check", sql`char_length(btrim(${t.name}, ${BLANKS})) between 1 and 100`),
    index("lesson_plan_versions_plan_id_created_at_idx").on(t.planId, t.createdAt.desc()),
  ],
);

/** Live "same class" sessions (同步课堂); the weekly recurrence's occurrences share a series. */
export const liveSessions = pgTable(
  "live_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pairingId: uuid("pairing_id")
      .notNull()
      .references(() => pairings.id, { onDelete: "no action" }),
    seriesId: uuid("series_id"),
    title: text("title").notNull(),
    lessonPlanId: uuid("lesson_plan_id").references(() => lessonPlans.id, { onDelete: "set null" }),
    mainClassroomId: uuid("main_classroom_id")
      .notNull()
      .references(() => classrooms.id, { onDelete: "no action" }),
    mainTeacherId: uuid("main_teacher_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    status: text("status", { enum: LIVE_SESSION_STATUSES }).notNull().default("scheduled"),
    cancelReason: text("cancel_reason", { enum: LIVE_SESSION_CHANGE_REASONS }),
    /** Times rescheduled or cancelled: the calendar's SEQUENCE. */
    sequence: integer("sequence").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("live_sessions_title_check", sql`char_length(btrim(${t.title}, ${BLANKS})) between 1 and 200`),
    check("live_sessions_status_check", sql`${t.status} in (${inList(LIVE_SESSION_STATUSES)})`),
    check("live_sessions_cancel_reason_check", sql`${t.cancelReason} in (${inList(LIVE_SESSION_CHANGE_REASONS)})`),
    check("live_sessions_time_check", sql`${t.endsAt} > ${t.startsAt} and ${t.endsAt} - ${t.startsAt} <= interval '4 hours'`),
    check("live_sessions_cancelled_check", sql`(${t.status} = 'cancelled') = (${t.cancelReason} is not null)`),
    index("live_sessions_pairing_id_starts_at_idx").on(t.pairingId, t.startsAt),
    index("live_sessions_main_teacher_id_starts_at_idx").on(t.mainTeacherId, t.startsAt),
    index("live_sessions_main_classroom_id_starts_at_idx").on(t.mainClassroomId, t.startsAt),
    index("live_sessions_lesson_plan_id_idx")
      .on(t.lessonPlanId)
      .where(sql`${t.lessonPlanId} is not null`),
  ],
);

/** A session's receiving (接收) classrooms, each with the teacher whose account it joins with. */
export const liveSessionClassrooms = pgTable(
  "live_session_classrooms",
  {
    sessionId: uuid("session_id")
      .notNull()
      .references(() => liveSessions.id, { onDelete: "cascade" }),
    classroomId: uuid("classroom_id")
      .notNull()
      .references(() => classrooms.id, { onDelete: "no action" }),
    teacherId: uuid("teacher_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
  },
  (t) => [
    primaryKey({ name: "live_session_classrooms_pkey", columns: [t.sessionId, t.classroomId] }),
    index("live_session_classrooms_classroom_id_idx").on(t.classroomId),
    index("live_session_classrooms_teacher_id_idx").on(t.teacherId),
  ],
);

/** Reschedules and cancellations with their reason codes; append-only. */
export const liveSessionChanges = pgTable(
  "live_session_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => liveSessions.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["rescheduled", "cancelled"] }).notNull(),
    reason: text("reason", { enum: LIVE_SESSION_CHANGE_REASONS }).notNull(),
    note: text("note"),
    previousStartsAt: timestamp("previous_starts_at", { withTimezone: true }).notNull(),
    previousEndsAt: timestamp("previous_ends_at", { withTimezone: true }).notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    actorId: uuid("actor_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    createdAt: createdAt(),
  },
  (t) => [
    check("live_session_changes_kind_check", sql`${t.kind} in ('rescheduled','cancelled')`),
    check("live_session_changes_reason_check", sql`${t.reason} in (${inList(LIVE_SESSION_CHANGE_REASONS)})`),
    check("live_session_changes_note_check", sql`char_length(${t.note}) <= 500`),
    index("live_session_changes_session_id_idx").on(t.sessionId, t.createdAt),
  ],
);

/** One row per participant connection, from LiveKit's webhooks. */
export const liveSessionAttendance = pgTable(
  "live_session_attendance",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => liveSessions.id, { onDelete: "cascade" }),
    participantSid: text("participant_sid").notNull(),
    identity: text("identity").notNull(),
    userId: uuid("user_id").references(() => profiles.id, { onDelete: "set null" }),
    role: text("role", { enum: LIVE_ROLES }),
    schoolId: uuid("school_id").references(() => schools.id, { onDelete: "set null" }),
    classroomId: uuid("classroom_id").references(() => classrooms.id, { onDelete: "set null" }),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
    leftAt: timestamp("left_at", { withTimezone: true }),
  },
  (t) => [
    unique("live_session_attendance_session_id_participant_sid_unique").on(t.sessionId, t.participantSid),
    check("live_session_attendance_role_check", sql`${t.role} in (${inList(LIVE_ROLES)})`),
    check("live_session_attendance_left_check", sql`${t.leftAt} is null or ${t.leftAt} >= ${t.joinedAt}`),
  ],
);

/** Students present per classroom: a number, never a name. */
export const liveSessionHeadcounts = pgTable(
  "live_session_headcounts",
  {
    sessionId: uuid("session_id")
      .notNull()
      .references(() => liveSessions.id, { onDelete: "cascade" }),
    classroomId: uuid("classroom_id")
      .notNull()
      .references(() => classrooms.id, { onDelete: "no action" }),
    headcount: integer("headcount").notNull(),
    enteredBy: uuid("entered_by")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    enteredAt: timestamp("entered_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "live_session_headcounts_pkey", columns: [t.sessionId, t.classroomId] }),
    check("live_session_headcounts_headcount_check", sql`${t.headcount} between 0 and 200`),
  ],
);

/** 听评课 observations: a rubric scored 1–5 per criterion, and notes. */
export const liveSessionObservations = pgTable(
  "live_session_observations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => liveSessions.id, { onDelete: "cascade" }),
    observerId: uuid("observer_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    rubric: jsonb("rubric").notNull().$type<Record<string, number>>(),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("live_session_observations_session_id_observer_id_unique").on(t.sessionId, t.observerId),
    check("live_session_observations_notes_check", sql`char_length(${t.notes}) <= 5000`),
  ],
);

/** The class's teachers' reflections, linked to the session's lesson plan. */
export const liveSessionReflections = pgTable(
  "live_session_reflections",
  {
    sessionId: uuid("session_id")
      .notNull()
      .references(() => liveSessions.id, { onDelete: "cascade" }),
    authorId: uuid("author_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "no action" }),
    lessonPlanId: uuid("lesson_plan_id").references(() => lessonPlans.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "live_session_reflections_pkey", columns: [t.sessionId, t.authorId] }),
    check("live_session_reflections_body_check", sql`char_length(btrim(${t.body}, ${BLANKS})) between 1 and 5000`),
    index("live_session_reflections_lesson_plan_id_idx")
      .on(t.lessonPlanId)
      .where(sql`${t.lessonPlanId} is not null`),
  ],
);

/** The class chat, on our server so it outlives a video server that is down. */
export const liveSessionMessages = pgTable(
  "live_session_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => liveSessions.id, { onDelete: "cascade" }),
    authorId: uuid("author_id")
      .notNull()
      .default(sql`auth.uid()`)
      .references(() => profiles.id, { onDelete: "no action" }),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check("live_session_messages_body_check", sql`char_length(btrim(${t.body}, ${BLANKS})) between 1 and 1000`),
    index("live_session_messages_session_id_created_at_idx").on(t.sessionId, t.createdAt),
  ],
);

/** A user's secret calendar-feed token, stored as its sha256 (hex). */
export const calendarFeeds = pgTable(
  "calendar_feeds",
  {
    userId: uuid("user_id")
      .primaryKey()
      .default(sql`auth.uid()`)
      .references(() => profiles.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("calendar_feeds_token_hash_unique").on(t.tokenHash),
    check("calendar_feeds_token_hash_check", sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

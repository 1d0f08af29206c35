import { sql } from "drizzle-orm";
import { check, pgSchema, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { LANGUAGES, MEMBERSHIP_ROLES, STAGES } from "./enums";

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

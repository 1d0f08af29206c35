/** Value sets shared by the schema, forms and pages; free of drizzle so the browser bundle stays small. */
export const STAGES = ["primary", "middle", "high", "vocational"] as const;
export type Stage = (typeof STAGES)[number];
export const MEMBERSHIP_ROLES = ["teacher", "school_admin"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
export const LANGUAGES = ["zh-CN", "bo", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

/** A pairing's lifecycle; ended, declined and withdrawn are terminal (read-only). */
export const PAIRING_STATUSES = ["requested", "proposed", "active", "paused", "ended", "declined", "withdrawn"] as const;
export type PairingStatus = (typeof PAIRING_STATUSES)[number];
export const OPEN_PAIRING_STATUSES = ["requested", "proposed", "active", "paused"] as const satisfies readonly PairingStatus[];
export const TERMINAL_PAIRING_STATUSES = ["ended", "declined", "withdrawn"] as const satisfies readonly PairingStatus[];
/** What public.transition_pairing(pairing_id, action, reason, expected_version) accepts. */
export const PAIRING_ACTIONS = ["forward", "accept", "decline", "withdraw", "pause", "resume", "end"] as const;
export type PairingAction = (typeof PAIRING_ACTIONS)[number];
/** Actions that need a reason (the database refuses them without one). */
export const PAIRING_ACTIONS_NEEDING_REASON = ["decline", "pause", "end"] as const satisfies readonly PairingAction[];
export const PAIRING_EVENT_KINDS = [
  "requested",
  "proposed",
  "forwarded",
  "accepted",
  "declined",
  "withdrawn",
  "paused",
  "resumed",
  "ended",
  "goals_updated",
  "lesson_plan_created",
  "lesson_plan_adapted",
  "lesson_plan_submitted",
  "lesson_plan_returned",
  "lesson_plan_finalized",
  "lesson_plan_archived",
  "lesson_plan_version_saved",
  "lesson_plan_version_restored",
  "live_session_scheduled",
  "live_session_rescheduled",
  "live_session_cancelled",
  "live_session_started",
  "live_session_ended",
  "observation_submitted",
  "reflection_saved",
  "headcount_recorded",
] as const;
export type PairingEventKind = (typeof PAIRING_EVENT_KINDS)[number];
export const NOTIFICATION_KINDS = [
  "pairing_proposed",
  "pairing_requested",
  "pairing_accepted",
  "pairing_declined",
  "pairing_withdrawn",
  "pairing_paused",
  "pairing_resumed",
  "pairing_ended",
  "school_membership_added",
  "live_session_scheduled",
  "live_session_rescheduled",
  "live_session_cancelled",
  "lesson_plan_coauthor_added",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
/** Subject codes of pairing goals (and later lesson plans); pairing_goals_subjects_check lists the same. */
export const SUBJECTS = [
  "chinese",
  "math",
  "english",
  "science",
  "music",
  "art",
  "pe",
  "ethics",
  "it",
  "tibetan",
  "history",
  "geography",
  "physics",
  "chemistry",
  "biology",
  "other",
] as const;
export type Subject = (typeof SUBJECTS)[number];
/** A lesson plan's workflow: draft → in_review → final (定稿, read-only) → archived. */
export const LESSON_PLAN_STATUSES = ["draft", "in_review", "final", "archived"] as const;
export type LessonPlanStatus = (typeof LESSON_PLAN_STATUSES)[number];
/** What public.transition_lesson_plan(plan_id, action, expected_version) accepts. */
export const LESSON_PLAN_ACTIONS = ["submit", "return", "finalize", "archive"] as const;
export type LessonPlanAction = (typeof LESSON_PLAN_ACTIONS)[number];
/** Grades 1–12 (小学一年级 … 高中三年级). */
export const GRADES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

export const LIVE_SESSION_STATUSES = ["scheduled", "live", "ended", "cancelled"] as const;
export type LiveSessionStatus = (typeof LIVE_SESSION_STATUSES)[number];
/** Why a live session was moved or cancelled: kept and counted on the dashboard. */
export const LIVE_SESSION_CHANGE_REASONS = ["network", "weather", "exams", "other"] as const;
export type LiveSessionChangeReason = (typeof LIVE_SESSION_CHANGE_REASONS)[number];
/** Who takes part in a live class: the main (主讲) classroom, a receiving (接收) one, an observer. */
export const LIVE_ROLES = ["main", "receiving", "observer"] as const;
export type LiveRole = (typeof LIVE_ROLES)[number];
/** 听评课 rubric criteria, each scored 1–5 (private.valid_observation_rubric lists the same). */
export const OBSERVATION_CRITERIA = ["objectives", "interaction", "remote_inclusion", "engagement", "technology"] as const;
export type ObservationCriterion = (typeof OBSERVATION_CRITERIA)[number];

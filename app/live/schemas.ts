import { z } from "zod";
import { LIVE_SESSION_CHANGE_REASONS, OBSERVATION_CRITERIA } from "~/db/enums";
import { parseSchoolLocal } from "./time";

/**
 * The live-session forms: what public.schedule_live_session and its siblings take, checked
 * here first so that bad input gets a translated message per field and writes nothing.
 */

const uuid = z.string({ required_error: "validation:required" }).uuid("validation:invalidChoice");
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** "2026-12-01T09:00" in Asia/Shanghai → the instant; schools read and write their own wall time. */
const schoolDateTime = z.string({ required_error: "validation:required" }).transform((value, ctx) => {
  const date = parseSchoolLocal(value);
  if (!date) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "live:errors.dateTime" });
    return z.NEVER;
  }
  return date;
});

const reason = z.enum(LIVE_SESSION_CHANGE_REASONS, {
  errorMap: () => ({ message: "live:errors.reasonRequired" }),
});
const note = z.preprocess(blankToUndefined, z.string().trim().max(500, "validation:tooLong").optional());

/** Class lengths schools use (a period is 40 minutes in primary, 45 in middle school; doubles 80–90), offered as suggestions. */
export const DURATIONS = [35, 40, 45, 50, 60, 80, 90, 120] as const;
const duration = z
  .number({ required_error: "validation:required", invalid_type_error: "validation:number" })
  .int("validation:number")
  .min(10, "live:errors.duration")
  .max(240, "live:errors.duration");

export const ReceivingClassroomSchema = z.object({ classroomId: uuid, teacherId: uuid });

export const ScheduleSessionSchema = z
  .object({
    title: z.string({ required_error: "validation:required" }).trim().min(1, "validation:required").max(200, "validation:tooLong"),
    lessonPlanId: z.preprocess(blankToUndefined, uuid.optional()),
    mainClassroomId: uuid,
    mainTeacherId: uuid,
    receiving: z
      .array(ReceivingClassroomSchema, { required_error: "live:errors.receivingRequired" })
      .min(1, "live:errors.receivingRequired")
      .max(6, "validation:tooLarge"),
    startsAt: schoolDateTime,
    durationMinutes: duration,
    repeatWeekly: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
    repeatUntil: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "live:errors.date")
        .optional(),
    ),
  })
  .superRefine((value, ctx) => {
    if (value.startsAt.getTime() < Date.now()) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["startsAt"], message: "live:errors.past" });
    }
    if (value.repeatWeekly && !value.repeatUntil) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["repeatUntil"], message: "live:errors.repeatUntilRequired" });
    }
    const seen = new Set<string>();
    value.receiving.forEach((r, i) => {
      if (r.classroomId === value.mainClassroomId) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["receiving", i, "classroomId"], message: "live:errors.receivingIsMain" });
      }
      if (seen.has(r.classroomId)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["receiving", i, "classroomId"], message: "live:errors.receivingTwice" });
      }
      seen.add(r.classroomId);
    });
  });
export type ScheduleSession = z.infer<typeof ScheduleSessionSchema>;

export const RescheduleSchema = z.object({
  intent: z.literal("reschedule"),
  startsAt: schoolDateTime,
  durationMinutes: duration,
  reason,
  note,
});

export const CancelSchema = z.object({ intent: z.literal("cancel"), reason, note });

export const HeadcountSchema = z.object({
  intent: z.literal("headcount"),
  classroomId: uuid,
  headcount: z
    .number({ required_error: "validation:required", invalid_type_error: "live:errors.headcount" })
    .int("live:errors.headcount")
    .min(0, "live:errors.headcount")
    .max(200, "live:errors.headcount"),
});

const score = z
  .number({ required_error: "live:errors.score", invalid_type_error: "live:errors.score" })
  .int("live:errors.score")
  .min(1, "live:errors.score")
  .max(5, "live:errors.score");

export const ObservationSchema = z.object({
  intent: z.literal("observation"),
  rubric: z.object(
    Object.fromEntries(OBSERVATION_CRITERIA.map((c) => [c, score])) as Record<(typeof OBSERVATION_CRITERIA)[number], typeof score>,
  ),
  notes: z.preprocess((v) => (v === undefined ? "" : v), z.string().trim().max(5000, "validation:tooLong")),
});

export const ReflectionSchema = z.object({
  intent: z.literal("reflection"),
  body: z.string({ required_error: "validation:required" }).trim().min(1, "validation:required").max(5000, "validation:tooLong"),
});

export const SessionActionSchema = z.discriminatedUnion("intent", [
  RescheduleSchema,
  CancelSchema,
  HeadcountSchema,
  ObservationSchema,
  ReflectionSchema,
]);

export const ChatMessageSchema = z.object(
  { body: z.string({ required_error: "validation:required" }).trim().min(1, "validation:required").max(1000, "validation:tooLong") },
  // Not a JSON object at all (no body, a form, malformed JSON).
  { invalid_type_error: "live:errors.invalidInput", required_error: "live:errors.invalidInput" },
);

export const ModerateSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("mute"), identity: z.string().min(1).max(200), trackSid: z.string().min(1).max(200) }),
  z.object({ action: z.literal("remove"), identity: z.string().min(1).max(200) }),
]);

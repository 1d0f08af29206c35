import { z } from "zod";
import { LANGUAGES, LESSON_PLAN_ACTIONS, LESSON_PLAN_STATUSES, SUBJECTS } from "~/db/enums";

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { errorMap: () => ({ message: "validation:invalidChoice" }) });

const uuid = z.string({ required_error: "validation:required" }).uuid("validation:invalidChoice");

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** The metadata form (create and edit): what public.create_lesson_plan / update_lesson_plan take. */
export const PlanMetadataSchema = z.object({
  title: z.string({ required_error: "validation:required" }).trim().min(1, "validation:required").max(200, "validation:tooLong"),
  subject: choice(SUBJECTS),
  grade: z
    .number({ required_error: "validation:required", invalid_type_error: "validation:invalidChoice" })
    .int("validation:invalidChoice")
    .min(1, "validation:invalidChoice")
    .max(12, "validation:invalidChoice"),
  textbookUnit: z.preprocess(blankToUndefined, z.string().trim().max(200, "validation:tooLong").optional()),
  periods: z
    .number({ required_error: "validation:required", invalid_type_error: "validation:number" })
    .int("validation:number")
    .min(1, "lessonPlans:errors.periods")
    .max(10, "lessonPlans:errors.periods"),
  leadAuthorId: uuid,
  coauthorIds: z.array(uuid).max(20, "validation:tooLarge").default([]),
});

export const CreatePlanSchema = PlanMetadataSchema.extend({ language: choice(LANGUAGES) });

export const UpdatePlanSchema = PlanMetadataSchema.extend({
  expectedVersion: z.number({ required_error: "validation:required" }).int(),
});

export const TransitionPlanSchema = z.object({
  intent: z.literal("transition"),
  action: choice(LESSON_PLAN_ACTIONS),
  expectedVersion: z.number({ required_error: "validation:required" }).int(),
});

export const SaveVersionSchema = z.object({
  intent: z.literal("saveVersion"),
  name: z
    .string({ required_error: "lessonPlans:errors.versionNameRequired" })
    .trim()
    .min(1, "lessonPlans:errors.versionNameRequired")
    .max(100, "validation:tooLong"),
});

export const RestoreVersionSchema = z.object({ intent: z.literal("restoreVersion"), versionId: uuid });

export const AdaptSchema = z.object({ intent: z.literal("adapt") });

export const PlanActionSchema = z.discriminatedUnion("intent", [
  TransitionPlanSchema,
  SaveVersionSchema,
  RestoreVersionSchema,
  AdaptSchema,
]);

/** The list's filters, from the query string; anything malformed is ignored rather than refused. */
export const PlanFiltersSchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()).catch(undefined),
  subject: choice(SUBJECTS).optional().catch(undefined),
  grade: z.coerce.number().int().min(1).max(12).optional().catch(undefined),
  status: choice(LESSON_PLAN_STATUSES).optional().catch(undefined),
  lead: z.string().uuid().optional().catch(undefined),
});
export type PlanFilters = z.infer<typeof PlanFiltersSchema>;

/**
 * The SQLSTATEs the lesson-plan functions of supabase/migrations/20261129100100_lesson_plans.sql
 * raise, and what users read for each.
 */
const TRANSLATION_KEYS: Record<string, string> = {
  TK409: "lessonPlans:errors.conflict",
  TK422: "lessonPlans:errors.illegalState",
  TK425: "lessonPlans:errors.invalidInput",
  "42501": "lessonPlans:errors.notAllowed",
  "23514": "lessonPlans:errors.invalidInput",
};

export function lessonPlanErrorKey(code: string | undefined): string | undefined {
  return code !== undefined && Object.hasOwn(TRANSLATION_KEYS, code) ? TRANSLATION_KEYS[code] : undefined;
}

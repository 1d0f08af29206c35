import { z } from "zod";
import { PAIRING_ACTIONS, PAIRING_ACTIONS_NEEDING_REASON, SUBJECTS } from "~/db/enums";

/** School year and semester: 2026-2027-1 is the autumn semester of 2026, -2 the spring one. */
export const TERM_PATTERN = /^(\d{4})-(\d{4})-([12])$/;

export function termOf(date: Date): string {
  const year = date.getFullYear();
  const month = date.getMonth() + 1;
  if (month >= 8) return `${year}-${year + 1}-1`;
  if (month === 1) return `${year - 1}-${year}-1`;
  return `${year - 1}-${year}-2`;
}

export function nextTerm(term: string): string {
  const [, from, to, half] = TERM_PATTERN.exec(term)!;
  return half === "1" ? `${from}-${to}-2` : `${to}-${Number(to) + 1}-1`;
}

const Term = z
  .string({ required_error: "validation:required" })
  .regex(TERM_PATTERN, "validation:invalidChoice")
  .refine((t) => {
    const [, from, to] = TERM_PATTERN.exec(t) ?? [];
    return Number(to) === Number(from) + 1;
  }, "validation:invalidChoice");

export const ProposePairingSchema = z.object({
  schoolAId: z.string({ required_error: "validation:required" }).uuid("validation:invalidChoice"),
  schoolBId: z.string({ required_error: "validation:required" }).uuid("validation:invalidChoice"),
  term: Term,
  jointLessonsPlanned: z
    .number({ required_error: "validation:required", invalid_type_error: "validation:number" })
    .int("validation:number")
    .min(0, "validation:number")
    .max(200, "validation:tooLarge"),
  subjects: z
    .array(z.enum(SUBJECTS, { errorMap: () => ({ message: "validation:invalidChoice" }) }), {
      required_error: "pairings:errors.subjectsRequired",
    })
    .min(1, "pairings:errors.subjectsRequired"),
  note: z.string().trim().max(2000, "validation:tooLong").optional(),
});

export const TransitionSchema = z
  .object({
    action: z.enum(PAIRING_ACTIONS, { errorMap: () => ({ message: "validation:invalidChoice" }) }),
    reason: z.string().trim().max(2000, "validation:tooLong").optional(),
    expectedVersion: z.number({ required_error: "validation:required" }).int(),
  })
  .refine((v) => !(PAIRING_ACTIONS_NEEDING_REASON as readonly string[]).includes(v.action) || Boolean(v.reason), {
    path: ["reason"],
    message: "pairings:errors.reasonRequired",
  });

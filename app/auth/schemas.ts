import { z } from "zod";
import { LANGUAGES } from "~/db/enums";
import { PASSWORD_PROBLEM_KEYS, passwordShapeProblems } from "./password-policy";

/** Messages are translation keys, rendered with t() by the form and the action alike. */
export const SignInSchema = z.object({
  email: z.string({ required_error: "validation:required" }).trim().max(254, "validation:tooLong").email("validation:email"),
  password: z.string({ required_error: "validation:required" }).max(200, "validation:tooLong"),
  redirectTo: z.string().optional(),
});

export { PASSWORD_MIN_LENGTH } from "./password-policy";

/**
 * A new password's length, size and visibility, checked in the browser as on the server;
 * the list of common passwords is checked by the action (passwordProblemKey), to keep it
 * out of the browser's bundle, and again by Auth.
 */
const NewPassword = z.string({ required_error: "validation:required" }).superRefine((value, ctx) => {
  const problem = passwordShapeProblems(value)[0];
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: PASSWORD_PROBLEM_KEYS[problem] });
});

export const PasswordChangeSchema = z
  .object({
    intent: z.literal("password"),
    currentPassword: z.string({ required_error: "validation:required" }).max(200, "validation:tooLong"),
    newPassword: NewPassword,
    confirmPassword: z.string({ required_error: "validation:required" }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "validation:passwordsDiffer",
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "validation:passwordUnchanged",
  });

export const ProfileSchema = z.object({
  intent: z.literal("profile"),
  displayName: z.string({ required_error: "validation:required" }).trim().min(1, "validation:required").max(80, "validation:tooLong"),
  preferredLanguage: z.enum(LANGUAGES, { errorMap: () => ({ message: "validation:invalidChoice" }) }),
});

export const LanguageSchema = z.object({
  lng: z.enum(LANGUAGES),
  redirectTo: z.string().optional(),
});

/**
 * A password set on /welcome: a first one after an invitation (or recovery) link, when the
 * current one is not asked for; otherwise the action requires `currentPassword`.
 */
export const SetPasswordSchema = z
  .object({
    currentPassword: z.string().max(200, "validation:tooLong").optional(),
    newPassword: NewPassword,
    confirmPassword: z.string({ required_error: "validation:required" }),
    next: z.string().optional(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "validation:passwordsDiffer" });

import { z } from "zod";
import { LANGUAGES } from "~/db/enums";

/** Messages are translation keys, rendered with t() by the form and the action alike. */
export const SignInSchema = z.object({
  email: z
    .string({ required_error: "validation:required" })
    .trim()
    .max(254, "validation:tooLong")
    .email("validation:email"),
  password: z.string({ required_error: "validation:required" }).max(200, "validation:tooLong"),
  redirectTo: z.string().optional(),
});

export const PASSWORD_MIN_LENGTH = 8;

export const PasswordChangeSchema = z
  .object({
    intent: z.literal("password"),
    currentPassword: z.string({ required_error: "validation:required" }).max(200, "validation:tooLong"),
    newPassword: z
      .string({ required_error: "validation:required" })
      .min(PASSWORD_MIN_LENGTH, "validation:passwordTooShort")
      .max(200, "validation:tooLong"),
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
  displayName: z
    .string({ required_error: "validation:required" })
    .trim()
    .min(1, "validation:required")
    .max(80, "validation:tooLong"),
  preferredLanguage: z.enum(LANGUAGES, { errorMap: () => ({ message: "validation:invalidChoice" }) }),
});

export const LanguageSchema = z.object({
  lng: z.enum(LANGUAGES),
  redirectTo: z.string().optional(),
});

/** A first password, set by someone who arrived through an invitation link. */
export const SetPasswordSchema = z
  .object({
    newPassword: z
      .string({ required_error: "validation:required" })
      .min(PASSWORD_MIN_LENGTH, "validation:passwordTooShort")
      .max(200, "validation:tooLong"),
    confirmPassword: z.string({ required_error: "validation:required" }),
    next: z.string().optional(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "validation:passwordsDiffer" });

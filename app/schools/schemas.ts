import { z } from "zod";
import { LANGUAGES, MEMBERSHIP_ROLES, STAGES } from "~/db/enums";

export const DirectoryQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(100, "validation:tooLong")
    .optional()
    .transform((q) => (q ? q : undefined)),
  region: z
    .string()
    .uuid("validation:invalidChoice")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  stage: z
    .enum(STAGES, { message: "validation:invalidChoice" })
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
export type DirectoryQuery = z.infer<typeof DirectoryQuerySchema>;

const optionalName = z
  .string()
  .trim()
  .max(100, "validation:tooLong")
  .optional()
  .transform((v) => v || null);

/** A school as coordinators create and edit it: a Chinese name always, Tibetan and English when known. */
export const SchoolSchema = z.object({
  regionId: z.string({ required_error: "validation:required" }).uuid("validation:invalidChoice"),
  nameZh: z.string({ required_error: "validation:required" }).trim().min(1, "validation:required").max(100, "validation:tooLong"),
  nameBo: optionalName,
  nameEn: optionalName,
  stage: z.enum(STAGES, { errorMap: () => ({ message: "validation:invalidChoice" }) }),
});

export const AddClassroomSchema = z.object({
  intent: z.literal("add-classroom"),
  name: z.string({ required_error: "validation:required" }).trim().min(1, "validation:required").max(60, "validation:tooLong"),
  grade: z
    .string()
    .trim()
    .max(30, "validation:tooLong")
    .optional()
    .transform((v) => v || null),
  deviceNote: z
    .string()
    .trim()
    .max(120, "validation:tooLong")
    .optional()
    .transform((v) => v || null),
});

export const RemoveClassroomSchema = z.object({
  intent: z.literal("remove-classroom"),
  classroomId: z.string().uuid("validation:invalidChoice"),
});

export const RemoveMemberSchema = z.object({
  intent: z.literal("remove-member"),
  userId: z.string().uuid("validation:invalidChoice"),
  role: z.enum(MEMBERSHIP_ROLES, { errorMap: () => ({ message: "validation:invalidChoice" }) }),
});

/** The school page's changes that share one path: parse, one transaction, one refusal, one toast. */
export const SchoolChangeSchema = z.discriminatedUnion("intent", [AddClassroomSchema, RemoveClassroomSchema, RemoveMemberSchema]);

export const InviteSchema = z.object({
  intent: z.literal("invite"),
  email: z
    .string({ required_error: "validation:required" })
    .trim()
    .max(254, "validation:tooLong")
    .email("validation:email")
    .transform((e) => e.toLowerCase()),
  displayName: z.string({ required_error: "validation:required" }).trim().min(1, "validation:required").max(80, "validation:tooLong"),
  role: z.enum(MEMBERSHIP_ROLES, { errorMap: () => ({ message: "validation:invalidChoice" }) }),
  preferredLanguage: z.enum(LANGUAGES, { errorMap: () => ({ message: "validation:invalidChoice" }) }),
});

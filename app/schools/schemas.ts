import { z } from "zod";
import { STAGES } from "~/db/enums";

export const DirectoryQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(100, "validation:tooLong")
    .optional()
    .transform((q) => (q ? q : undefined)),
  region: z.string().uuid("validation:invalidChoice").optional().or(z.literal("").transform(() => undefined)),
  stage: z.enum(STAGES, { message: "validation:invalidChoice" }).optional().or(z.literal("").transform(() => undefined)),
});
export type DirectoryQuery = z.infer<typeof DirectoryQuerySchema>;

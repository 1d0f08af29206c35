/**
 * Images in lesson plans: the Storage bucket (supabase/migrations/…_lesson_plan_images.sql
 * creates it with the same limits), what it takes and how objects are named.
 */
export const LESSON_PLAN_IMAGES_BUCKET = "lesson-plan-images";

export const LESSON_PLAN_IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/** The multipart envelope around one file field, generously: boundaries and part headers. */
export const LESSON_PLAN_IMAGE_ENVELOPE_BYTES = 16 * 1024;

export const LESSON_PLAN_IMAGE_TYPES = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
} as const;

export type LessonPlanImageType = keyof typeof LESSON_PLAN_IMAGE_TYPES;

export function isLessonPlanImageType(type: string | null): type is LessonPlanImageType {
  return type !== null && Object.hasOwn(LESSON_PLAN_IMAGE_TYPES, type);
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const NAME = `${UUID}\\.(?:${Object.values(LESSON_PLAN_IMAGE_TYPES).join("|")})`;

/** `<uuid>.<ext>`, lower case, as uploads are named; anything else names no image. */
export const LESSON_PLAN_IMAGE_NAME = new RegExp(`^${NAME}$`);

/**
 * The app URL an image is shown at (the editor stores it as the image's src). The bytes stay
 * in Storage (`<bucket>/<planId>/<name>`); this route reads them as the signed-in reader.
 */
export const lessonPlanImageSrc = (planId: string, name: string) => `/lesson-plans/${planId}/images/${name}`;

const LESSON_PLAN_IMAGE_SRC = new RegExp(`^/lesson-plans/${UUID}/images/${NAME}$`);

/** Whether `src` is an image's app URL as lessonPlanImageSrc makes it: a lower-case plan id and an upload's name. */
export const isLessonPlanImageSrc = (src: string) => LESSON_PLAN_IMAGE_SRC.test(src);

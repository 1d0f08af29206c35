/**
 * What may stand in a plan's links and images, shared by the server renderer, the editor and
 * the classroom's live view (without pulling the editor's code into the last).
 */
import { isLessonPlanImageSrc } from "~/storage/lesson-plan-images";

/** Only web and mail links survive in a plan (no javascript: or data: URLs). */
export function isSafeHref(href: unknown): href is string {
  return typeof href === "string" && /^(https?:|mailto:)/i.test(href.trim());
}

/**
 * Images are the app's own uploads, at the route that serves them from Storage (the page's
 * CSP allows only the app's origin, and any other name there is a 404).
 * The schema gate (NODE_ATTRIBUTES.image.src), the page, the live view and the exports use this one rule.
 */
export const isSafeImageSrc = (src: unknown): src is string => typeof src === "string" && isLessonPlanImageSrc(src);

/** The name of the Y.XmlFragment that holds a lesson plan's tiptap document. */
export const PLAN_FRAGMENT = "default";

/** The collaborative document of a lesson plan on the collaboration server: `lesson-plan.<uuid>`. */
export const planDocumentName = (planId: string) => `lesson-plan.${planId}`;

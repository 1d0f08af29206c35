/**
 * What may stand in a plan's links and images, shared by the server renderer, the editor and
 * the classroom's live view (without pulling the editor's code into the last).
 */

/** Only web and mail links survive in a plan (no javascript: or data: URLs). */
export function isSafeHref(href: unknown): href is string {
  return typeof href === "string" && /^(https?:|mailto:)/i.test(href.trim());
}

/** Images come from the plan's own storage route (the page's CSP allows no other). */
export const isSafeImageSrc = (src: unknown): src is string =>
  typeof src === "string" && /^\/lesson-plans\/[0-9a-f-]{36}\/images\/[\w.-]+$/.test(src);

/** The name of the Y.XmlFragment that holds a lesson plan's tiptap document. */
export const PLAN_FRAGMENT = "default";

/** The collaborative document of a lesson plan on the collaboration server: `lesson-plan.<uuid>`. */
export const planDocumentName = (planId: string) => `lesson-plan.${planId}`;

import type { JSONContent } from "@tiptap/core";
import { renderToHTMLString } from "@tiptap/static-renderer/pm/html-string";
import { planExtensions } from "./extensions";
import { isSafeHref, isSafeImageSrc } from "./safety";

export { isSafeImageSrc } from "./safety";

const extensions = planExtensions();

/** A copy of the document without unsafe links and images (stored JSON came from clients' edits). */
export function sanitizePlanJson(node: JSONContent): JSONContent {
  const marks = node.marks?.filter((mark) => mark.type !== "link" || isSafeHref(mark.attrs?.href));
  if (node.type === "image" && !isSafeImageSrc(node.attrs?.src)) {
    return { type: "paragraph", content: node.attrs?.alt ? [{ type: "text", text: String(node.attrs.alt) }] : undefined };
  }
  return {
    ...node,
    ...(marks ? { marks } : {}),
    ...(node.content ? { content: node.content.map(sanitizePlanJson) } : {}),
  };
}

/** The plan's content as HTML for the read-only page: no editor JavaScript reaches the browser. */
export function renderPlanHtml(json: JSONContent): string {
  if (!json?.content?.length) return "";
  return renderToHTMLString({ content: sanitizePlanJson(json), extensions });
}

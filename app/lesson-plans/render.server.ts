import { renderToHTMLString } from "@tiptap/static-renderer/pm/html-string";
import { getFixedT } from "~/i18n/i18next.server";
import { escapeHtml } from "~/lib/html";
import { planExtensions } from "./extensions";
import { PLAN_PLACEHOLDER, normalizePlanJson } from "./plan-json";

const extensions = planExtensions();

/** The translation of "lessonPlans:unsupportedContent", shown where content cannot be. */
export interface RenderLabels {
  unsupported: string;
}

/** The labels in the reader's language. */
export async function renderLabels(request: Request): Promise<RenderLabels> {
  const t = await getFixedT(request, "lessonPlans");
  return { unsupported: t("lessonPlans:unsupportedContent") };
}

const placeholderHtml = (label: string, inline: boolean) =>
  inline ? `<span class="plan-unsupported">${escapeHtml(label)}</span>` : `<p class="plan-unsupported">${escapeHtml(label)}</p>`;

/**
 * The plan's content as HTML for the read-only page, the editor's first paint and versions: no
 * editor JavaScript reaches the browser. Whatever was stored, this returns: the JSON is first
 * mapped onto the schema (normalizePlanJson), and should rendering still fail, the reader sees
 * the placeholder instead of an error page.
 */
export function renderPlanHtml(json: unknown, labels: RenderLabels): string {
  try {
    const content = normalizePlanJson(json);
    if (!content.content?.length) return "";
    return renderToHTMLString({
      content,
      extensions,
      options: {
        // Only the placeholder reaches here: normalizePlanJson leaves no other type outside the schema.
        unhandledNode: ({ node }) => placeholderHtml(labels.unsupported, node.type.name === PLAN_PLACEHOLDER && node.attrs.inline === true),
        unhandledMark: ({ children }) => [children ?? ""].flat().join(""),
      },
    });
  } catch (error) {
    console.error("renderPlanHtml: a plan's content could not be rendered", error);
    return placeholderHtml(labels.unsupported, false);
  }
}

import * as Y from "yjs";
import { PLAN_PLACEHOLDER, type PlanNode } from "./plan-json";
import { PLAN_LIMITS, markNameOf } from "./plan-rules";

export type { PlanNode } from "./plan-json";

/** Deeper than any valid plan, so a poisoned document cannot exhaust the reader's stack. */
const MAX_DEPTH = PLAN_LIMITS.maxDepth + 2;

/**
 * A plan's Y.XmlFragment as the JSON tiptap would give (what y-prosemirror stores: one
 * XmlElement per node with its attributes, XmlText with marks as formatting attributes), with
 * only Yjs loaded — so the classroom's live plan needs neither tiptap nor ProseMirror.
 * Marks that may overlap are stored under `name--hash` keys; the name is what counts.
 * What no plan can hold (hooks, embeds, nesting past the limit) comes out as the placeholder
 * node; the result is not yet checked against the schema: render it through normalizePlanJson.
 */
export function fragmentToJson(fragment: Y.XmlFragment): PlanNode {
  return { type: "doc", content: fragment.toArray().flatMap((node) => nodeToJson(node, 1)) };
}

function nodeToJson(node: Y.XmlElement | Y.XmlText | Y.XmlHook, depth: number): PlanNode[] {
  if (node instanceof Y.XmlText) return textToJson(node);
  if (!(node instanceof Y.XmlElement)) return [{ type: PLAN_PLACEHOLDER }];
  if (depth > MAX_DEPTH) return [{ type: PLAN_PLACEHOLDER, content: [{ type: "text", text: textUnder(node) }] }];
  const attrs = node.getAttributes() as Record<string, unknown>;
  const content = node.toArray().flatMap((child) => nodeToJson(child, depth + 1));
  return [
    {
      type: node.nodeName,
      ...(Object.keys(attrs).length ? { attrs } : {}),
      ...(content.length ? { content } : {}),
    },
  ];
}

type Op = { insert: unknown; attributes?: Record<string, unknown> };

function textToJson(text: Y.XmlText): PlanNode[] {
  return (text.toDelta() as Op[]).flatMap((op): PlanNode[] => {
    if (typeof op.insert !== "string") return [{ type: PLAN_PLACEHOLDER }];
    if (op.insert === "") return [];
    const marks = Object.entries(op.attributes ?? {}).map(([key, value]) => ({
      type: markNameOf(key),
      attrs: (value ?? {}) as Record<string, unknown>,
    }));
    return [{ type: "text", text: op.insert, ...(marks.length ? { marks } : {}) }];
  });
}

/** The text under a too-deep element, without recursion, at most PLAN_LIMITS.textLength characters. */
function textUnder(node: Y.XmlElement): string {
  let text = "";
  const stack: unknown[] = [node];
  for (let next = stack.pop(); next !== undefined && text.length < PLAN_LIMITS.textLength; next = stack.pop()) {
    if (next instanceof Y.XmlText) text += (next.toDelta() as Op[]).map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");
    else if (next instanceof Y.XmlElement) stack.push(...next.toArray().reverse());
  }
  return text.slice(0, PLAN_LIMITS.textLength);
}

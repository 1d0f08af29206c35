import * as Y from "yjs";

/** The tiptap/ProseMirror JSON shape, without importing tiptap. */
export interface PlanNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PlanNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

/**
 * A plan's Y.XmlFragment as the JSON tiptap would give (what y-prosemirror stores: one
 * XmlElement per node with its attributes, XmlText with marks as formatting attributes), with
 * only Yjs loaded — so the classroom's live plan needs neither tiptap nor ProseMirror.
 * Marks that may overlap are stored under `name--hash` keys; the name is what counts.
 */
export function fragmentToJson(fragment: Y.XmlFragment): PlanNode {
  return { type: "doc", content: fragment.toArray().flatMap(nodeToJson) };
}

function nodeToJson(node: Y.XmlElement | Y.XmlText | Y.XmlHook): PlanNode[] {
  if (node instanceof Y.XmlText) return textToJson(node);
  if (!(node instanceof Y.XmlElement)) return [];
  const attrs = node.getAttributes() as Record<string, unknown>;
  const content = node.toArray().flatMap((child) => nodeToJson(child as Y.XmlElement | Y.XmlText));
  return [
    {
      type: node.nodeName,
      ...(Object.keys(attrs).length ? { attrs } : {}),
      ...(content.length ? { content } : {}),
    },
  ];
}

function textToJson(text: Y.XmlText): PlanNode[] {
  const delta = text.toDelta() as { insert: unknown; attributes?: Record<string, Record<string, unknown> | null> }[];
  return delta
    .filter((op): op is { insert: string; attributes?: Record<string, Record<string, unknown> | null> } => typeof op.insert === "string" && op.insert !== "")
    .map((op) => {
      const marks = Object.entries(op.attributes ?? {}).map(([key, value]) => {
        const type = key.split("--")[0];
        return { type, attrs: value ?? {} };
      });
      return { type: "text", text: op.insert, ...(marks.length ? { marks } : {}) };
    });
}

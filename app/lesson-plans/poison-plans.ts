import * as Y from "yjs";
import type { PlanNode } from "./plan-json";

/**
 * Documents a co-author could make with a modified client, each of which once took the server
 * down or broke a plan for good (issue 10). Shared by the renderers' and the schema gate's tests.
 */

const text = (value: string): PlanNode => ({ type: "text", text: value });
const p = (value: string): PlanNode => ({ type: "paragraph", content: [text(value)] });
const cell = (value: string, attrs: Record<string, unknown> = {}): PlanNode => ({
  type: "tableCell",
  attrs: { colspan: 1, rowspan: 1, colwidth: null, ...attrs },
  content: [p(value)],
});
const doc = (...content: PlanNode[]): PlanNode => ({ type: "doc", content: [p("教学目标"), ...content] });

/** A two-column table whose first cell carries these attributes. */
export const tableWith = (attrs: Record<string, unknown>): PlanNode => ({
  type: "table",
  content: [
    { type: "tableRow", content: [cell("环节", attrs), cell("时间")] },
    { type: "tableRow", content: [cell("导入"), cell("5 分钟")] },
  ],
});

export const IMAGE_SRC = "/lesson-plans/0b9c2f4e-1c1d-4a55-9f7e-2d3c4b5a6978/images/6d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d.png";

/** Blockquotes nested this deep, built without recursion. */
export function deeplyNested(depth: number): PlanNode {
  let node: PlanNode = p("最深处");
  for (let i = 0; i < depth; i++) node = { type: "blockquote", content: [node] };
  return node;
}

/** Poison documents whose unknown content every renderer must show as the placeholder. */
export const UNKNOWN_CONTENT: Record<string, PlanNode> = {
  script: doc({ type: "script", content: [text("alert(1)")] }),
  iframe: doc({ type: "iframe", attrs: { src: "https://evil.example/" } }),
  codeBlock: doc({ type: "codeBlock", attrs: { language: "js" }, content: [text("console.log(1)")] }),
  "inline unknown node": doc({ type: "paragraph", content: [text("看"), { type: "mention", attrs: { id: "x" } }] }),
  "prototype name": doc({ type: "constructor", content: [text("原型")] }),
};

/** Poison documents every renderer must show without the poison: clamped, dropped or wrapped. */
export const MALFORMED: Record<string, PlanNode> = {
  "giant colspan": doc(tableWith({ colspan: 100_000_000, rowspan: 100_000_000 })),
  "colspan 100000": doc(tableWith({ colspan: 100_000 })),
  "non-numeric colspan": doc(tableWith({ colspan: "wide", rowspan: { n: 2 }, colwidth: "x" })),
  "NaN colspan": doc(tableWith({ colspan: Number.NaN, rowspan: Number.POSITIVE_INFINITY })),
  "unknown mark": doc({
    type: "paragraph",
    content: [{ type: "text", text: "高亮", marks: [{ type: "highlight" }, { type: "constructor" }, { type: "bold" }] }],
  }),
  "top-level text": { type: "doc", content: [p("教学目标"), text("没有段落的文字"), { type: "hardBreak" }, p("段落")] },
  // Yjs itself deletes (and collects) nested types recursively: past ~3000 levels it cannot delete them at all.
  "deep nesting": doc(deeplyNested(2000)),
  "too many images": doc(...Array.from({ length: 1000 }, () => ({ type: "image", attrs: { src: IMAGE_SRC } }))),
  "giant heading level": doc({ type: "heading", attrs: { level: 100_000_000 }, content: [text("标题")] }),
  "giant list start": doc({ type: "orderedList", attrs: { start: 1e300 }, content: [{ type: "listItem", content: [p("一")] }] }),
};

/**
 * A Yjs document holding any JSON the way y-prosemirror stores it, schema or not: one
 * XmlElement per node with its attributes, one XmlText per run of text with marks as
 * formatting attributes. What a modified client can send. Built from the outside in, each
 * element inserted before its children, so a deeply nested poison needs no deep recursion.
 */
export function rawYDoc(json: PlanNode, fragmentName = "default"): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => insertRaw(doc.getXmlFragment(fragmentName), 0, json.content ?? []));
  return doc;
}

/** Nodes of any JSON inserted into a fragment or element that is in a document, as y-prosemirror would store them. */
export function insertRaw(parent: Y.XmlFragment, index: number, nodes: PlanNode[]): void {
  const work: [Y.XmlFragment, PlanNode[]][] = [];
  parent.insert(index, rawChildren(nodes, work));
  for (let next = work.pop(); next; next = work.pop()) next[0].insert(0, rawChildren(next[1], work));
}

function rawChildren(nodes: PlanNode[], work: [Y.XmlFragment, PlanNode[]][]): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = [];
  let run: PlanNode[] = [];
  const flush = () => {
    if (!run.length) return;
    const text = new Y.XmlText();
    text.applyDelta(
      run.map((node) => ({
        insert: node.text ?? "",
        attributes: Object.fromEntries((node.marks ?? []).map((m) => [m.type, m.attrs ?? {}])),
      })),
    );
    out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (node.type === "text") {
      run.push(node);
      continue;
    }
    flush();
    const el = new Y.XmlElement(node.type);
    for (const [key, value] of Object.entries(node.attrs ?? {})) el.setAttribute(key, value as string);
    out.push(el);
    // Filled once it is in the document (an XmlElement not yet in one cannot take children here).
    if (node.content?.length) work.push([el, node.content]);
  }
  flush();
  return out;
}

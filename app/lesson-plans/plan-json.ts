import { NODE_ATTRIBUTES, PLAN_CHILDREN, PLAN_LIMITS, PLAN_MARKS, isValidMark, ownRule, tableBounds, type CellSpan } from "./plan-rules";
import { isSafeImageSrc } from "./safety";

/** The tiptap/ProseMirror JSON shape, without importing tiptap. */
export interface PlanNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PlanNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

/**
 * The node every renderer shows as a visible, translated "[unsupported content]": what a
 * document held that the plan's schema has no place for. `attrs.inline` when it stood in text.
 */
export const PLAN_PLACEHOLDER = "unsupported";

interface Walk {
  images: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const childrenOf = (node: Json): unknown[] => (Array.isArray(node.content) ? node.content : []);
const placeholder = (inline = false): PlanNode => ({ type: PLAN_PLACEHOLDER, ...(inline ? { attrs: { inline: true } } : {}) });
const paragraph = (content: PlanNode[]): PlanNode => ({ type: "paragraph", ...(content.length ? { content } : {}) });

/**
 * A stored plan's JSON mapped onto the plan's schema, for the renderers to trust: unknown
 * nodes become the placeholder (followed by their text), misplaced ones are unwrapped or
 * wrapped, bare text is put in paragraphs, unknown marks and attributes are dropped, spans are
 * clamped to the table's real size and PLAN_LIMITS.maxSpan, and nesting, text and images are
 * cut at PLAN_LIMITS; an image whose src is not one of the app's uploads (isSafeImageSrc)
 * becomes its alt text. Time and memory are linear in the input, whatever its attribute values.
 */
export function normalizePlanJson(input: unknown): PlanNode {
  const walk: Walk = { images: 0 };
  return { type: "doc", content: isObject(input) ? blocks(childrenOf(input), 1, walk) : [] };
}

function blocks(children: unknown[], depth: number, walk: Walk): PlanNode[] {
  const out: PlanNode[] = [];
  let loose: unknown[] = [];
  const flush = () => {
    if (loose.length) out.push(paragraph(inlines(loose)));
    loose = [];
  };
  for (const child of children) {
    if (!isObject(child)) continue;
    if (child.type === "text" || child.type === "hardBreak") {
      loose.push(child);
      continue;
    }
    flush();
    out.push(...block(child, depth, walk));
  }
  flush();
  return out;
}

/** Containers whose schema wants at least one block get an empty paragraph rather than nothing. */
const filled = (content: PlanNode[]) => (content.length ? content : [paragraph([])]);

function block(node: Json, depth: number, walk: Walk): PlanNode[] {
  if (depth > PLAN_LIMITS.maxDepth) return unsupported(node);
  const attrs = isObject(node.attrs) ? node.attrs : {};
  switch (node.type) {
    case "paragraph":
      return [paragraph(inlines(childrenOf(node)))];
    case "heading": {
      const level = typeof attrs.level === "number" && attrs.level >= 3 ? 3 : 2;
      const content = inlines(childrenOf(node));
      return [{ type: "heading", attrs: { level }, ...(content.length ? { content } : {}) }];
    }
    case "blockquote":
      return [{ type: "blockquote", content: filled(blocks(childrenOf(node), depth + 1, walk)) }];
    case "bulletList":
    case "orderedList":
      return list(node, attrs, depth, walk);
    case "table":
      return table(node, depth, walk);
    case "listItem":
    case "tableRow":
    case "tableCell":
    case "tableHeader":
      // Out of place: keep what it holds.
      return blocks(childrenOf(node), depth + 1, walk);
    case "image":
      return image(attrs, walk);
    case "horizontalRule":
      return [{ type: "horizontalRule" }];
    default:
      return unsupported(node);
  }
}

function list(node: Json, attrs: Json, depth: number, walk: Walk): PlanNode[] {
  const items = childrenOf(node).flatMap((child): PlanNode[] => {
    if (!isObject(child)) return [];
    const content = child.type === "listItem" ? blocks(childrenOf(child), depth + 2, walk) : block(child, depth + 2, walk);
    if (!content.length && child.type !== "listItem") return [];
    // An item starts with a paragraph (the schema's `paragraph block*`): that is where its bullet goes.
    return [{ type: "listItem", content: content[0]?.type === "paragraph" ? content : [paragraph([]), ...content] }];
  });
  if (!items.length) return [];
  if (node.type === "bulletList") return [{ type: "bulletList", content: items }];
  const start = NODE_ATTRIBUTES.orderedList.start(attrs.start) ? attrs.start : 1;
  const type = NODE_ATTRIBUTES.orderedList.type(attrs.type) && attrs.type !== null ? { type: attrs.type } : {};
  return [{ type: "orderedList", attrs: { start, ...type }, content: items }];
}

const clampSpan = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? Math.max(1, Math.min(PLAN_LIMITS.maxSpan, Math.floor(value))) : 1;

function table(node: Json, depth: number, walk: Walk): PlanNode[] {
  const isCell = (value: Json) => value.type === "tableCell" || value.type === "tableHeader";
  const cellOf = (value: Json): { source: Json; span: CellSpan } => {
    const attrs = isObject(value.attrs) && isCell(value) ? value.attrs : {};
    return { source: value, span: { colspan: clampSpan(attrs.colspan), rowspan: clampSpan(attrs.rowspan) } };
  };
  const rows = childrenOf(node)
    .filter(isObject)
    .map((row) => (row.type === "tableRow" ? childrenOf(row).filter(isObject) : [row]).map(cellOf));
  const bounds = tableBounds(rows.map((cells) => cells.map((cell) => cell.span)));
  // Past the largest grid, rows are cut: nobody is made to allocate for a table larger than that.
  const width = rows.length ? bounds.area / rows.length : 0;
  const kept = width > 0 ? Math.min(rows.length, Math.floor(PLAN_LIMITS.tableCells / width)) : rows.length;
  const content = rows.slice(0, kept).map((cells, r): PlanNode => ({
    type: "tableRow",
    content: cells.map(({ source, span }) => {
      const attrs = isObject(source.attrs) ? source.attrs : {};
      const colspan = Math.min(span.colspan, bounds.colspanLimit(r));
      const colwidth =
        NODE_ATTRIBUTES.tableCell.colwidth(attrs.colwidth) && Array.isArray(attrs.colwidth) ? attrs.colwidth.slice(0, colspan) : null;
      const align = NODE_ATTRIBUTES.tableCell.align(attrs.align) ? attrs.align : null;
      const inner = isCell(source) ? blocks(childrenOf(source), depth + 3, walk) : block(source, depth + 3, walk);
      return {
        type: source.type === "tableHeader" ? "tableHeader" : "tableCell",
        attrs: { colspan, rowspan: Math.min(span.rowspan, bounds.rowspanLimit), colwidth, ...(align ? { align } : {}) },
        content: filled(inner),
      };
    }),
  }));
  if (!content.length) return [];
  return kept < rows.length ? [{ type: "table", content }, placeholder()] : [{ type: "table", content }];
}

function image(attrs: Json, walk: Walk): PlanNode[] {
  const rules = NODE_ATTRIBUTES.image;
  const alt = typeof attrs.alt === "string" ? attrs.alt.slice(0, PLAN_LIMITS.attributeText) : "";
  const src = attrs.src;
  if (typeof src !== "string" || src.length > PLAN_LIMITS.urlLength || !isSafeImageSrc(src) || walk.images >= PLAN_LIMITS.images) {
    return alt ? [paragraph([{ type: "text", text: alt }])] : [];
  }
  walk.images++;
  const kept = Object.fromEntries(
    (["title", "width", "height"] as const).filter((key) => attrs[key] != null && rules[key](attrs[key])).map((key) => [key, attrs[key]]),
  );
  return [{ type: "image", attrs: { src, ...(alt ? { alt } : {}), ...kept } }];
}

/** A textblock's content: text with the schema's marks and line breaks, at most PLAN_LIMITS.textLength characters. */
function inlines(children: unknown[]): PlanNode[] {
  const out: PlanNode[] = [];
  let room = PLAN_LIMITS.textLength;
  const addText = (text: string, marks?: PlanNode["marks"]) => {
    if (!text || room <= 0) return;
    const kept = text.slice(0, room);
    room -= kept.length;
    out.push({ type: "text", text: kept, ...(marks?.length ? { marks } : {}) });
  };
  for (const child of children) {
    if (!isObject(child)) continue;
    if (child.type === "text") {
      if (typeof child.text === "string") addText(child.text, marksOf(child.marks));
    } else if (child.type === "hardBreak") {
      out.push({ type: "hardBreak" });
    } else {
      // A known block inside text keeps its text; anything else is marked as not shown.
      if (!(typeof child.type === "string" && ownRule(PLAN_CHILDREN, child.type))) out.push(placeholder(true));
      addText(textOf(child, room));
    }
  }
  return out;
}

function marksOf(marks: unknown): PlanNode["marks"] {
  if (!Array.isArray(marks)) return undefined;
  const seen = new Set<string>();
  const out: NonNullable<PlanNode["marks"]> = [];
  for (const mark of marks.slice(0, PLAN_MARKS.length * 2)) {
    if (!isObject(mark) || typeof mark.type !== "string" || seen.has(mark.type)) continue;
    const attrs = isObject(mark.attrs) ? mark.attrs : {};
    if (mark.type === "link") {
      const link = { href: attrs.href, ...(typeof attrs.title === "string" ? { title: attrs.title } : {}) };
      if (!isValidMark("link", link)) continue;
      out.push({ type: "link", attrs: link });
    } else if (isValidMark(mark.type, {})) {
      out.push({ type: mark.type });
    } else continue;
    seen.add(mark.type);
  }
  return out;
}

/** A node the schema has no place for: the placeholder, then its text so nothing written is lost from view. */
function unsupported(node: Json): PlanNode[] {
  const text = textOf(node, PLAN_LIMITS.textLength);
  return text ? [placeholder(), paragraph([{ type: "text", text }])] : [placeholder()];
}

/** The text under a node, without recursion (its nesting may be any depth), at most `max` characters. */
function textOf(node: Json, max: number): string {
  let text = "";
  const stack: unknown[] = [node];
  // Bounded by the nodes that exist, not by any value in them; stops early once `max` is reached.
  while (stack.length && text.length < max) {
    const next = stack.pop();
    if (!isObject(next)) continue;
    if (typeof next.text === "string") text += next.text;
    const children = childrenOf(next);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return text.slice(0, max).trim();
}

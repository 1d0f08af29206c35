import * as Y from "yjs";
import { NODE_ATTRIBUTES, PLAN_LIMITS, isValidMark, isWholeNumber, markNameOf, ownRule, tableBounds } from "./plan-rules";
import { PLAN_NODE_RULES, checkPlanFragment, checkTopLevelBlock, tableSpans, type NodeRule } from "./schema-check";

type Child = Y.XmlElement | Y.XmlText;
type Parent = Y.XmlFragment | Y.XmlElement;

const DOC = PLAN_NODE_RULES.get("doc")!;
const PARAGRAPH = PLAN_NODE_RULES.get("paragraph")!;
const PASSES = 4;

/**
 * Repairs a stored plan's fragment in place so that checkPlanFragment accepts it; call it
 * inside `doc.transact`. Unknown nodes become a paragraph of their text (or go, when they
 * have none), misplaced ones are unwrapped or wrapped, bare text is put in a paragraph, marks
 * and attributes the schema does not allow are removed, spans clamped to the table's real
 * size, text, nesting and images cut at PLAN_LIMITS. Returns how many repairs were made: 0 for
 * a valid plan, which is left untouched.
 */
export function repairPlanFragment(fragment: Y.XmlFragment): number {
  if (checkPlanFragment(fragment) === null) return 0;
  let repairs = 0;
  const run = () => {
    // Unwrapping and wrapping bring nodes the pass has already walked past; a few passes settle them.
    for (let pass = 0; pass < PASSES; pass++) {
      const made = repairChildren(fragment, DOC, 1);
      repairs += made;
      if (!made) break;
    }
    repairs += dropImagesPastLimit(fragment);
    repairs += flattenInvalidBlocks(fragment);
  };
  if (fragment.doc) fragment.doc.transact(run);
  else run();
  return repairs;
}

function repairChildren(parent: Parent, rule: NodeRule, depth: number): number {
  let repairs = 0;
  // From the end, so a replacement never shifts what is still to be walked.
  for (let i = parent.length - 1; i >= 0; i--) {
    const outcome = repairChild(parent.get(i), rule, depth);
    if (typeof outcome === "number") {
      repairs += outcome;
      continue;
    }
    parent.delete(i, 1);
    if (outcome.length) parent.insert(i, outcome);
    repairs++;
  }
  if (rule.text) repairs += trimText(parent);
  if (rule.name === "table" && parent instanceof Y.XmlElement) repairs += repairTable(parent);
  return repairs;
}

/** What replaces a child, or the number of repairs made to it in place. */
function repairChild(child: unknown, parent: NodeRule, depth: number): Child[] | number {
  if (child instanceof Y.XmlText) {
    if (parent.text) return textProblem(child, parent) ? [cleanText(child, parent)] : 0;
    return child.length === 0 ? 0 : fitInto(parent, [paragraph([cleanText(child, PARAGRAPH)])]);
  }
  if (!(child instanceof Y.XmlElement)) return [];
  const rule = PLAN_NODE_RULES.get(child.nodeName);
  if (!rule || depth > PLAN_LIMITS.maxDepth || deeperThan(child, PLAN_LIMITS.maxDepth - depth)) return fitInto(parent, asParagraph(child));
  if (!parent.children.has(rule.name)) {
    if (parent.text) return asText(child);
    // A row, cell, item or document out of place gives up its content; anything else is wrapped as the parent needs.
    return fitInto(parent, WRAPPERS.has(rule.name) ? clones(child) : [child.clone()]);
  }
  if (rule.name === "image" && !NODE_ATTRIBUTES.image.src(child.getAttribute("src"))) return fitInto(parent, altOf(child));
  return repairAttributes(child, rule) + repairChildren(child, rule, depth + 1);
}

const WRAPPERS = new Set(["doc", "listItem", "tableRow", "tableCell", "tableHeader"]);

const clones = (el: Y.XmlElement): Child[] =>
  el.toArray().flatMap((c) => (c instanceof Y.XmlElement || c instanceof Y.XmlText ? [c.clone()] : []));

const isInline = (node: Child) => node instanceof Y.XmlText || node.nodeName === "hardBreak";

/** Nodes made to fit a parent: blocks where blocks go (text and line breaks in a paragraph), else wrapped in an item, a cell or a row, else their text. */
function fitInto(parent: NodeRule, nodes: Child[]): Child[] {
  if (!nodes.length) return [];
  if (parent.children.has("paragraph")) {
    const blocks: Child[] = [];
    let run: Y.XmlElement | null = null;
    for (const node of nodes) {
      if (!isInline(node)) {
        blocks.push(node);
        run = null;
      } else if (run) run.push([node]);
      else blocks.push((run = paragraph([node])));
    }
    return blocks;
  }
  if (parent.children.has("listItem")) return [element("listItem", nodes)];
  if (parent.children.has("tableCell")) return [element("tableCell", nodes)];
  if (parent.children.has("tableRow")) return [element("tableRow", [element("tableCell", nodes)])];
  if (parent.text) return nodes.flatMap(asText);
  return [];
}

function element(name: string, children: Child[], attrs: Record<string, unknown> = {}): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value as string);
  el.insert(0, children);
  return el;
}

const paragraph = (children: Child[]) => element("paragraph", children);

function textOf(value: string): Y.XmlText {
  const text = new Y.XmlText();
  text.insert(0, value);
  return text;
}

function asParagraph(node: Child): Child[] {
  const text = plainText(node);
  return text ? [paragraph([textOf(text)])] : [];
}

function asText(node: Child): Child[] {
  const text = plainText(node);
  return text ? [textOf(text)] : [];
}

function altOf(image: Y.XmlElement): Child[] {
  const alt = image.getAttribute("alt") as unknown;
  return typeof alt === "string" && alt ? [paragraph([textOf(alt.slice(0, PLAN_LIMITS.attributeText))])] : [];
}

/** The text under a node, without recursion, at most PLAN_LIMITS.textLength characters. */
function plainText(node: Child): string {
  let text = "";
  const stack: unknown[] = [node];
  for (let next = stack.pop(); next !== undefined && text.length < PLAN_LIMITS.textLength; next = stack.pop()) {
    if (next instanceof Y.XmlText) text += stringsOf(next);
    else if (next instanceof Y.XmlElement) stack.push(...next.toArray().reverse());
  }
  return text.slice(0, PLAN_LIMITS.textLength).trim();
}

type Op = { insert: unknown; attributes?: Record<string, unknown> };
const stringsOf = (text: Y.XmlText) => (text.toDelta() as Op[]).map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");

/** Whether an element nests more than `levels` further down (without recursion). */
function deeperThan(el: Y.XmlElement, levels: number): boolean {
  const stack: [Y.XmlElement, number][] = [[el, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (depth > levels) return true;
    for (const child of node.toArray()) if (child instanceof Y.XmlElement) stack.push([child, depth + 1]);
  }
  return false;
}

function textProblem(text: Y.XmlText, parent: NodeRule): boolean {
  for (let item = text._start; item; item = item.right) {
    if (item.deleted || item.content instanceof Y.ContentString) continue;
    if (!(item.content instanceof Y.ContentFormat)) return true;
    const { key, value } = item.content;
    if (value !== null && !(parent.marks.has(markNameOf(key)) && isValidMark(markNameOf(key), value))) return true;
  }
  return false;
}

/** A fresh text with the same characters and only the marks the parent allows (format items and embeds cannot be edited away in place). */
function cleanText(text: Y.XmlText, parent: NodeRule): Y.XmlText {
  const delta = (text.toDelta() as Op[])
    .filter((op): op is Op & { insert: string } => typeof op.insert === "string" && op.insert !== "")
    .map((op) => {
      const attributes = Object.fromEntries(
        Object.entries(op.attributes ?? {}).filter(
          ([key, value]) => parent.marks.has(markNameOf(key)) && isValidMark(markNameOf(key), value),
        ),
      );
      return Object.keys(attributes).length ? { insert: op.insert, attributes } : { insert: op.insert };
    });
  const clean = new Y.XmlText();
  clean.applyDelta(delta);
  return clean;
}

/** A paragraph's or heading's text cut at PLAN_LIMITS.textLength. */
function trimText(parent: Parent): number {
  let room = PLAN_LIMITS.textLength;
  let repairs = 0;
  for (const child of parent.toArray()) {
    if (!(child instanceof Y.XmlText)) continue;
    if (child.length > room) {
      child.delete(room, child.length - room);
      repairs++;
    }
    room -= child.length;
  }
  return repairs;
}

function repairAttributes(el: Y.XmlElement, rule: NodeRule): number {
  let repairs = 0;
  const rules = NODE_ATTRIBUTES[rule.name] ?? {};
  const attrs = el.getAttributes() as Record<string, unknown>;
  for (const [key, value] of Object.entries(attrs)) {
    if (rule.attributes.has(key) && ownRule(rules, key)?.(value)) continue;
    const fixed = rule.attributes.has(key) ? clampAttribute(rule.name, key, value) : undefined;
    if (fixed === undefined) el.removeAttribute(key);
    else el.setAttribute(key, fixed as string);
    repairs++;
  }
  if (rule.name === "heading" && !("level" in attrs)) {
    el.setAttribute("level", 2 as unknown as string);
    repairs++;
  }
  return repairs;
}

/** The nearest valid value of an attribute, or undefined to remove it (its default applies). */
function clampAttribute(node: string, key: string, value: unknown): unknown {
  const number = typeof value === "number" && Number.isFinite(value) ? Math.floor(value) : null;
  if (key === "colspan" || key === "rowspan") return number === null || number <= 1 ? 1 : Math.min(number, PLAN_LIMITS.maxSpan);
  if (node === "heading" && key === "level") return number !== null && number >= 3 ? 3 : 2;
  if (node === "orderedList" && key === "start")
    return number === null ? undefined : Math.max(-PLAN_LIMITS.listStart, Math.min(number, PLAN_LIMITS.listStart));
  return undefined;
}

/** Spans no larger than the table's real size; rows past the largest grid go. */
function repairTable(table: Y.XmlElement): number {
  let repairs = 0;
  const rows = tableSpans(table);
  const bounds = tableBounds(rows.map((row) => row.spans));
  rows.forEach((row, r) =>
    row.cells.forEach((cell, c) => {
      const { colspan, rowspan } = row.spans[c];
      if (colspan > bounds.colspanLimit(r)) {
        cell.setAttribute("colspan", bounds.colspanLimit(r) as unknown as string);
        repairs++;
      }
      if (rowspan > bounds.rowspanLimit) {
        cell.setAttribute("rowspan", bounds.rowspanLimit as unknown as string);
        repairs++;
      }
    }),
  );
  const width = rows.length ? bounds.area / rows.length : 0;
  const keep = width > 0 ? Math.floor(PLAN_LIMITS.tableCells / width) : rows.length;
  if (keep < table.length && isWholeNumber(keep, 1, table.length)) {
    table.delete(keep, table.length - keep);
    repairs++;
  }
  return repairs;
}

/** Images past PLAN_LIMITS.images, in document order, go. */
function dropImagesPastLimit(fragment: Y.XmlFragment): number {
  const images: Y.XmlElement[] = [];
  const stack: unknown[] = fragment.toArray().reverse();
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (!(next instanceof Y.XmlElement)) continue;
    if (next.nodeName === "image") images.push(next);
    else stack.push(...next.toArray().reverse());
  }
  for (const image of images.slice(PLAN_LIMITS.images)) {
    const parent = image.parent as Parent;
    parent.delete(parent.toArray().indexOf(image), 1);
  }
  return Math.max(0, images.length - PLAN_LIMITS.images);
}

/** The last resort for whatever the rules above did not foresee: the block becomes a paragraph of its text. */
function flattenInvalidBlocks(fragment: Y.XmlFragment): number {
  let repairs = 0;
  for (let i = fragment.length - 1; i >= 0; i--) {
    const block: unknown = fragment.get(i);
    if ((block instanceof Y.XmlElement || block instanceof Y.XmlText) && checkTopLevelBlock(block) === null) continue;
    fragment.delete(i, 1);
    const replacement = block instanceof Y.XmlElement || block instanceof Y.XmlText ? asParagraph(block) : [];
    if (replacement.length) fragment.insert(i, replacement);
    repairs++;
  }
  return repairs;
}

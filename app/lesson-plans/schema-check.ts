import { getSchema } from "@tiptap/core";
import type { ContentMatch, NodeType } from "@tiptap/pm/model";
import * as Y from "yjs";
import { planExtensions } from "./extensions";
import {
  NODE_ATTRIBUTES,
  PLAN_LIMITS,
  REQUIRED_ATTRIBUTES,
  isValidMark,
  markNameOf,
  ownRule,
  tableBounds,
  type CellSpan,
} from "./plan-rules";

/** Why an update or a document was refused; `detail` is for the server's log, in English. */
export type PlanProblem = { reason: "invalid-content" | "update-too-large" | "document-too-large"; detail: string };

/** What one node type may hold and carry, read from the editor's own schema. */
export interface NodeRule {
  name: string;
  /** Node types allowed anywhere in its content (order and count are not checked: a container may be empty mid-edit). */
  children: ReadonlySet<string>;
  /** Whether it holds text (Y.XmlText), and which marks that text may carry. */
  text: boolean;
  marks: ReadonlySet<string>;
  attributes: ReadonlySet<string>;
}

function reachable(match: ContentMatch): Set<NodeType> {
  const types = new Set<NodeType>();
  const seen = new Set<ContentMatch>();
  for (const queue = [match]; queue.length;) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    for (let i = 0; i < next.edgeCount; i++) {
      types.add(next.edge(i).type);
      queue.push(next.edge(i).next);
    }
  }
  return types;
}

const schema = getSchema(planExtensions());

/** Every node type of the plan's schema, keyed by name, children derived from its content expression. */
export const PLAN_NODE_RULES: ReadonlyMap<string, NodeRule> = new Map(
  Object.values(schema.nodes).map((type) => {
    const children = reachable(type.contentMatch);
    const rule: NodeRule = {
      name: type.name,
      children: new Set([...children].map((child) => child.name).filter((name) => name !== "text")),
      text: [...children].some((child) => child.isText),
      marks: new Set(
        Object.values(schema.marks)
          .filter((mark) => type.allowsMarkType(mark))
          .map((mark) => mark.name),
      ),
      attributes: new Set(Object.keys(type.spec.attrs ?? {})),
    };
    return [type.name, rule];
  }),
);

const DOC = PLAN_NODE_RULES.get(schema.topNodeType.name)!;

export const invalid = (detail: string): PlanProblem => ({ reason: "invalid-content", detail });
const clip = (value: unknown) => JSON.stringify(value)?.slice(0, 60) ?? String(value);

/** What a check counts across blocks, for the limits that hold for the whole document. */
export interface PlanTally {
  images: number;
}

/**
 * A top-level block of a plan's fragment, as y-prosemirror stores it, against the schema and
 * PLAN_LIMITS: known node types, each where its parent allows it, no text where none belongs,
 * known marks with valid attributes, known attributes with valid values (spans within the
 * table's real size), nesting and text length. Counts images into `tally`. Cheap enough to run
 * on every block an update touches.
 */
export function checkTopLevelBlock(node: Y.XmlElement | Y.XmlText | Y.XmlHook, tally: PlanTally = { images: 0 }): PlanProblem | null {
  return checkChild(node, DOC, 1, tally, { length: 0 });
}

/** A whole plan's fragment: every block, and the limits that hold for the document. */
export function checkPlanFragment(fragment: Y.XmlFragment): PlanProblem | null {
  const tally: PlanTally = { images: 0 };
  for (let item = fragment._start; item; item = item.right) {
    if (item.deleted) continue;
    const problem =
      item.content instanceof Y.ContentType
        ? checkTopLevelBlock(item.content.type as Y.XmlElement, tally)
        : invalid("a value that is not a node");
    if (problem) return problem;
  }
  return checkTally(tally);
}

export function checkTally(tally: PlanTally): PlanProblem | null {
  return tally.images > PLAN_LIMITS.images ? invalid(`${tally.images} images (at most ${PLAN_LIMITS.images})`) : null;
}

function checkChild(node: unknown, parent: NodeRule, depth: number, tally: PlanTally, text: { length: number }): PlanProblem | null {
  if (node instanceof Y.XmlText) {
    if (!parent.text) return node.length === 0 ? null : invalid(`text directly in "${parent.name}"`);
    text.length += node.length;
    if (text.length > PLAN_LIMITS.textLength) return invalid(`more than ${PLAN_LIMITS.textLength} characters in one "${parent.name}"`);
    return checkText(node, parent);
  }
  if (!(node instanceof Y.XmlElement)) return invalid(`a ${node?.constructor?.name ?? typeof node} in "${parent.name}"`);
  return checkElement(node, parent, depth, tally);
}

function checkElement(el: Y.XmlElement, parent: NodeRule, depth: number, tally: PlanTally): PlanProblem | null {
  if (depth > PLAN_LIMITS.maxDepth) return invalid(`nesting deeper than ${PLAN_LIMITS.maxDepth}`);
  const rule = PLAN_NODE_RULES.get(el.nodeName);
  if (!rule) return invalid(`unknown node ${clip(el.nodeName)}`);
  if (!parent.children.has(rule.name)) return invalid(`"${rule.name}" in "${parent.name}"`);
  const attrs = el.getAttributes() as Record<string, unknown>;
  const rules = NODE_ATTRIBUTES[rule.name] ?? {};
  for (const key in attrs) {
    if (!rule.attributes.has(key) || !ownRule(rules, key)?.(attrs[key]))
      return invalid(`${rule.name}.${key.slice(0, 40)} = ${clip(attrs[key])}`);
  }
  for (const key of REQUIRED_ATTRIBUTES[rule.name] ?? []) if (!(key in attrs)) return invalid(`${rule.name} without ${key}`);
  if (rule.name === "image" && ++tally.images > PLAN_LIMITS.images) return checkTally(tally);
  const text = { length: 0 };
  for (let item = el._start; item; item = item.right) {
    if (item.deleted) continue;
    const child = item.content instanceof Y.ContentType ? item.content.type : item.content;
    const problem = checkChild(child, rule, depth + 1, tally, text);
    if (problem) return problem;
  }
  return rule.name === "table" ? checkTable(el) : null;
}

/**
 * What a change to the characters or marks of an existing Y.XmlText can break: the marks, and
 * the text length of the block it is in. (It cannot add nodes, attributes or nesting.) This is
 * what typing costs the gate, wherever the text is, even in a large table.
 */
export function checkTextChange(text: Y.XmlText): PlanProblem | null {
  const parent = text.parent;
  const rule = parent instanceof Y.XmlElement ? PLAN_NODE_RULES.get(parent.nodeName) : DOC;
  if (!rule || !(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment)) return invalid("text outside any node");
  if (!rule.text) return text.length === 0 ? null : invalid(`text directly in "${rule.name}"`);
  if (textLengthOf(parent) > PLAN_LIMITS.textLength) return invalid(`more than ${PLAN_LIMITS.textLength} characters in one "${rule.name}"`);
  return checkText(text, rule);
}

/**
 * How many more characters the node holding `text` may take (PLAN_LIMITS.textLength); -1 where
 * that node may hold no text at all.
 */
export function roomForText(text: Y.XmlText): number {
  const parent = text.parent;
  const rule = parent instanceof Y.XmlElement ? PLAN_NODE_RULES.get(parent.nodeName) : DOC;
  if (!rule?.text || !(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment)) return -1;
  return PLAN_LIMITS.textLength - textLengthOf(parent);
}

/** The characters of a node's text children. */
function textLengthOf(node: Y.XmlElement | Y.XmlFragment): number {
  let length = 0;
  for (let item = node._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlText)) continue;
    length += item.content.type.length;
  }
  return length;
}

function checkText(text: Y.XmlText, parent: NodeRule): PlanProblem | null {
  for (let item = text._start; item; item = item.right) {
    if (item.deleted || item.content instanceof Y.ContentString) continue;
    if (!(item.content instanceof Y.ContentFormat)) return invalid(`an embed in the text of "${parent.name}"`);
    const { key, value } = item.content;
    if (value === null) continue;
    const name = markNameOf(key);
    if (!parent.marks.has(name) || !isValidMark(name, value)) return invalid(`mark ${clip(key)} = ${clip(value)} in "${parent.name}"`);
  }
  return null;
}

/** Rows of a table element, each the cells' spans (1 where not set): what tableBounds needs. */
export function tableSpans(table: Y.XmlElement): { cells: Y.XmlElement[]; spans: CellSpan[] }[] {
  return table
    .toArray()
    .filter((row): row is Y.XmlElement => row instanceof Y.XmlElement)
    .map((row) => {
      const cells = row.toArray().filter((cell): cell is Y.XmlElement => cell instanceof Y.XmlElement);
      const spans = cells.map((cell) => ({ colspan: spanOf(cell.getAttribute("colspan")), rowspan: spanOf(cell.getAttribute("rowspan")) }));
      return { cells, spans };
    });
}

const spanOf = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && value >= 1 ? Math.min(value, PLAN_LIMITS.maxSpan) : 1;

function checkTable(table: Y.XmlElement): PlanProblem | null {
  const rows = tableSpans(table);
  const bounds = tableBounds(rows.map((row) => row.spans));
  if (bounds.area > PLAN_LIMITS.tableCells) return invalid(`a table of ${bounds.area} cells (at most ${PLAN_LIMITS.tableCells})`);
  for (const [r, row] of rows.entries()) {
    for (const span of row.spans) {
      if (span.colspan > bounds.colspanLimit(r)) return invalid(`colspan ${span.colspan} in a table ${bounds.colspanLimit(r)} wide`);
      if (span.rowspan > bounds.rowspanLimit) return invalid(`rowspan ${span.rowspan} in a table of ${rows.length} rows`);
    }
  }
  return null;
}

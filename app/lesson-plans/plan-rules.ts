import { isSafeHref, isSafeImageSrc } from "./safety";

/**
 * How large and how deep a lesson plan may be. The collaboration server refuses a change that
 * would break these (schema-gate.ts); every renderer clamps to them (plan-json.ts), so a stored
 * document can never make a reader's request allocate in proportion to a value a client chose.
 * Measured against real plans: the filled-in template is ~6 KB of Yjs state, a long term's
 * plan with its whole history a few hundred KB.
 */
export const PLAN_LIMITS = {
  /** Bytes of one incoming Yjs update: a pasted chapter is ~100–300 KB (images are links, not bytes). */
  updateBytes: 1024 * 1024,
  /** Bytes of the whole Yjs state, history included: what the server keeps, loads and stores. */
  documentBytes: 8 * 1024 * 1024,
  /** Largest colspan or rowspan: the widest real plan table (教学过程) has 6–8 columns. */
  maxSpan: 20,
  /** Grid slots (columns × rows) of one table, spans counted: bounds what a table can make anyone allocate. */
  tableCells: 2000,
  /**
   * Element nesting below the document (a top-level block is 1). A three-level list in a table
   * cell is 9 deep; every list level costs 2 (list and item).
   */
  maxDepth: 16,
  /** Characters of text in one paragraph or heading (a whole chapter is ~20 000). */
  textLength: 100_000,
  /** Images in one plan. */
  images: 100,
  /** Characters of an image's alt text or title, or a link's title. */
  attributeText: 1000,
  /** Characters of a link's address or an image's src. */
  urlLength: 2048,
  /** Largest first number of an ordered list (HTML allows negative ones too). */
  listStart: 100_000,
  /** Largest column width in pixels a cell may record. */
  columnWidth: 4000,
} as const;

const BLOCKS = ["paragraph", "blockquote", "bulletList", "heading", "horizontalRule", "orderedList", "table", "image"] as const;
const INLINE = ["text", "hardBreak"] as const;

/**
 * Which node types each node may hold, as the editor's schema says (schema-gate.test.ts checks
 * this against the schema's content expressions). Written out here so client code can use it
 * without loading tiptap.
 */
export const PLAN_CHILDREN: Record<string, readonly string[]> = {
  doc: BLOCKS,
  paragraph: INLINE,
  heading: INLINE,
  blockquote: BLOCKS,
  bulletList: ["listItem"],
  orderedList: ["listItem"],
  listItem: BLOCKS,
  table: ["tableRow"],
  tableRow: ["tableCell", "tableHeader"],
  tableCell: BLOCKS,
  tableHeader: BLOCKS,
  image: [],
  horizontalRule: [],
  hardBreak: [],
  text: [],
};

/** The marks of the schema; paragraphs and headings allow all of them. */
export const PLAN_MARKS = ["bold", "italic", "underline", "strike", "link"] as const;

type Rule = (value: unknown) => boolean;

export const isWholeNumber = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

const shortText = (max: number) => (value: unknown) => value === null || (typeof value === "string" && value.length <= max);
const oneOf =
  (...values: unknown[]) =>
  (value: unknown) =>
    values.includes(value);
const isSpan: Rule = (value) => isWholeNumber(value, 1, PLAN_LIMITS.maxSpan);
const isColumnWidths: Rule = (value) =>
  value === null ||
  (Array.isArray(value) &&
    value.length <= PLAN_LIMITS.maxSpan &&
    value.every((w) => typeof w === "number" && Number.isFinite(w) && w >= 0 && w <= PLAN_LIMITS.columnWidth));
/** A number of pixels, or what pasted HTML gives (tiptap keeps "300px" or "50%" as strings). */
const isImageSize: Rule = (value) =>
  value === null ||
  (typeof value === "number" && Number.isFinite(value) && value > 0 && value <= 10_000) ||
  (typeof value === "string" && /^\d{1,5}(?:\.\d{1,3})?(?:px|%)?$/.test(value));
const CELL: Record<string, Rule> = {
  colspan: isSpan,
  rowspan: isSpan,
  colwidth: isColumnWidths,
  align: oneOf(null, "left", "center", "right"),
};

/**
 * The attributes each node may carry and what their values may be. Spans are checked here
 * against the fixed maximum; against the table's real size by whoever sees the whole table.
 */
export const NODE_ATTRIBUTES: Record<string, Record<string, Rule>> = {
  heading: { level: oneOf(2, 3) },
  orderedList: {
    start: (value) => isWholeNumber(value, -PLAN_LIMITS.listStart, PLAN_LIMITS.listStart),
    type: oneOf(null, "1", "a", "A", "i", "I"),
  },
  tableCell: CELL,
  tableHeader: CELL,
  image: {
    src: (value) => isSafeImageSrc(value),
    alt: shortText(PLAN_LIMITS.attributeText),
    title: shortText(PLAN_LIMITS.attributeText),
    width: isImageSize,
    height: isImageSize,
  },
};

/** Attributes a node is not valid without (their schema default is not allowed). */
export const REQUIRED_ATTRIBUTES: Record<string, readonly string[]> = { heading: ["level"], image: ["src"] };

export const MARK_ATTRIBUTES: Record<string, Record<string, Rule>> = {
  bold: {},
  italic: {},
  underline: {},
  strike: {},
  link: {
    href: (value) => isSafeHref(value) && value.length <= PLAN_LIMITS.urlLength,
    target: oneOf(null, "_blank"),
    rel: (value) => value === null || (typeof value === "string" && /^[a-z ]{0,64}$/.test(value)),
    class: oneOf(null),
    title: shortText(PLAN_LIMITS.attributeText),
  },
};

/** y-prosemirror stores marks that may overlap under `name--hash`; the name is what counts. */
export const markNameOf = (key: string) => /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key;

/** Whether a mark's attributes (as y-prosemirror stores them: an object, or true) are all known and valid. */
export function isValidMark(name: string, attrs: unknown): boolean {
  const rules = ownRule(MARK_ATTRIBUTES, name);
  if (!rules) return false;
  if (attrs === true) return !("href" in rules);
  if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs)) return false;
  if (name === "link" && !("href" in attrs)) return false;
  return Object.entries(attrs).every(([key, value]) => ownRule(rules, key)?.(value) ?? false);
}

/** A record's own entry: names like "constructor" come from documents and must not reach the prototype. */
export const ownRule = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** A table cell's spans, already whole numbers within 1…maxSpan. */
export interface CellSpan {
  colspan: number;
  rowspan: number;
}

/**
 * What a table's real size allows its cells: a colspan no wider than the widest other row
 * (with the cells of rows above that span into it, but not this row's own), a rowspan no
 * taller than the table. Where no other row has cells of its own, up to maxSpan. `area` is the
 * grid the table makes (widest row × rows). Linear in the cells: each spans at most maxSpan rows.
 */
export function tableBounds(rows: readonly (readonly CellSpan[])[]): {
  colspanLimit: (row: number) => number;
  rowspanLimit: number;
  area: number;
} {
  const rowspanLimit = Math.max(1, Math.min(PLAN_LIMITS.maxSpan, rows.length));
  // What each row's cells span into the rows below it: row → (row below → columns).
  const reach = rows.map((cells, r) => {
    const into = new Map<number, number>();
    for (const cell of cells) {
      for (let below = r + 1; below < Math.min(rows.length, r + Math.min(cell.rowspan, rowspanLimit)); below++)
        into.set(below, (into.get(below) ?? 0) + cell.colspan);
    }
    return into;
  });
  const widths = rows.map((cells) => cells.reduce((sum, cell) => sum + cell.colspan, 0));
  reach.forEach((into) => into.forEach((columns, below) => (widths[below] += columns)));
  const widest = widths.map((_, r) => r).sort((a, b) => widths[b] - widths[a]);
  const colspanLimit = (row: number) => {
    let other = 0;
    for (const [below, columns] of reach[row]) other = Math.max(other, widths[below] - columns);
    // The widest rows this row does not reach: at most maxSpan + 1 of them are skipped.
    const unreached = widest.find((r) => r !== row && !reach[row].has(r));
    if (unreached !== undefined) other = Math.max(other, widths[unreached]);
    return other > 0 ? Math.min(PLAN_LIMITS.maxSpan, other) : PLAN_LIMITS.maxSpan;
  };
  return { colspanLimit, rowspanLimit, area: widths.reduce((a, b) => Math.max(a, b), 0) * rows.length };
}

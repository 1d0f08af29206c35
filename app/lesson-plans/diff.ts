import type { JSONContent } from "@tiptap/core";
import { diffArrays, type ChangeObject } from "diff";

/**
 * What a personal adaptation (复备) changed against its base plan, as plain JSON: a loader
 * computes it and the browser renders it with `PlanDiffView`. Formatting marks (bold, links)
 * are not compared; only the text, the structure and the images are.
 */
export interface PlanDiff {
  sections: SectionDiff[];
  stats: DiffStats;
}

export interface DiffStats {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

export type SectionStatus = "same" | "changed" | "added" | "removed";

export interface SectionDiff {
  /** The section's level-2 heading as it reads now (as it read, if removed); null before the first heading. */
  heading: string | null;
  /** The heading itself as a diff entry, so a renamed section shows what was renamed. */
  title: BlockDiff | null;
  /** "same" sections can be collapsed: nothing in them changed. */
  status: SectionStatus;
  blocks: BlockDiff[];
}

interface BlockBase {
  /** The block's text; a row's cells joined by " | "; an image as "[image: alt]". */
  text: string;
  quoted?: true;
}

export type DiffBlock =
  | (BlockBase & { type: "heading"; level: 2 | 3 })
  | (BlockBase & { type: "paragraph" })
  | (BlockBase & { type: "listItem"; marker: string; depth: number })
  | (BlockBase & { type: "tableRow"; cells: string[]; header: boolean })
  | (BlockBase & { type: "image"; src: string; alt: string });

export interface Run {
  op: "same" | "ins" | "del";
  text: string;
}

export type BlockDiff =
  | { kind: "same" | "added" | "removed"; block: DiffBlock }
  /** `cells` holds each cell's runs when a row kept its number of cells; an image's runs are of its alt text. */
  | { kind: "changed"; before: DiffBlock; after: DiffBlock; runs: Run[]; cells?: Run[][] };

const BULLET = "•";
const CELL_SEPARATOR = " | ";
/** Blocks pair as "changed" when at least this share of their tokens survived; below it a rewrite reads better as removed + added. */
const SIMILAR = 0.5;
/** How far ahead among the added blocks a removed one looks for its edited self; bounds a rewritten plan's cost. */
const LOOKAHEAD = 20;

const TIBETAN_BREAK = "\u0F0B-\u0F12\u0F14"; // tsheg, non-breaking tsheg, the shads, gter tsheg
const TIBETAN_LETTER = "\u0F00-\u0F0A\u0F13\u0F15-\u0FFF";
const TOKEN = new RegExp(
  [
    `[${TIBETAN_LETTER}]*[${TIBETAN_BREAK}]`, // a Tibetan syllable with the tsheg or shad that ends it
    `[${TIBETAN_LETTER}]+`, // a last syllable written without one
    `(?:(?![\\p{sc=Han}\\p{sc=Tibetan}])[\\p{L}\\p{M}\\p{N}_])+`, // a word of a spaced script, or a number
    `\\s+`,
    `[\\s\\S]`, // a Chinese character or a punctuation mark
  ].join("|"),
  "gu",
);

/** Splits text into the units a reader sees change: Chinese characters, whole Latin words, Tibetan syllables. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function diffPlans(base: JSONContent, adapted: JSONContent): PlanDiff {
  const before = blocksOf(base);
  const after = blocksOf(adapted);
  const entries: BlockDiff[] = [];
  let b = 0;
  let a = 0;
  let removed: DiffBlock[] = [];
  let added: DiffBlock[] = [];
  for (const change of diffArrays(before.map(keyOf), after.map(keyOf))) {
    if (change.removed) {
      removed = removed.concat(before.slice(b, (b += change.count)));
    } else if (change.added) {
      added = added.concat(after.slice(a, (a += change.count)));
    } else {
      entries.push(...pairHunk(removed, added));
      removed = [];
      added = [];
      b += change.count;
      for (const block of after.slice(a, (a += change.count))) entries.push({ kind: "same", block });
    }
  }
  entries.push(...pairHunk(removed, added));

  const stats: DiffStats = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const entry of entries) stats[entry.kind === "same" ? "unchanged" : entry.kind] += 1;
  return { sections: sectionsOf(entries), stats };
}

/** The block an entry shows: the adapted one, unless it was removed. */
export function shownBlock(entry: BlockDiff): DiffBlock {
  return entry.kind === "changed" ? entry.after : entry.block;
}

function sectionsOf(entries: BlockDiff[]): SectionDiff[] {
  const sections: SectionDiff[] = [];
  let current: SectionDiff = { heading: null, title: null, status: "same", blocks: [] };
  for (const entry of entries) {
    const block = shownBlock(entry);
    if (block.type === "heading" && block.level === 2 && !block.quoted) {
      if (current.title || current.blocks.length > 0) sections.push(current);
      current = { heading: block.text, title: entry, status: "same", blocks: [] };
    } else {
      current.blocks.push(entry);
    }
  }
  if (current.title || current.blocks.length > 0) sections.push(current);
  for (const section of sections) {
    const kinds = new Set([section.title, ...section.blocks].filter((e) => e !== null).map((e) => e.kind));
    section.status =
      kinds.size > 1 || kinds.has("changed") ? "changed" : kinds.has("added") ? "added" : kinds.has("removed") ? "removed" : "same";
  }
  return sections;
}

/**
 * A run of removed blocks next to a run of added ones: each removed block is paired, in order,
 * with the most similar added block of its kind, so an edited paragraph shows as one change.
 * Candidates are diffed best bound first, and the search stops once no bound can beat the best.
 */
function pairHunk(removed: DiffBlock[], added: DiffBlock[]): BlockDiff[] {
  const out: BlockDiff[] = [];
  let r = 0;
  let a = 0;
  removed.forEach((before, i) => {
    const candidates = added
      .slice(a, a + LOOKAHEAD)
      .map((after, k) => ({ j: a + k, bound: upperBound(before, after) }))
      .filter((c) => c.bound >= SIMILAR)
      .sort((x, y) => y.bound - x.bound || x.j - y.j);
    let best: { j: number; match: Match } | undefined;
    for (const { j, bound } of candidates) {
      if (best && best.match.score >= bound) break;
      const match = compare(before, added[j]);
      if (match && (!best || match.score > best.match.score)) best = { j, match };
    }
    if (!best) return;
    for (; r < i; r++) out.push({ kind: "removed", block: removed[r] });
    for (; a < best.j; a++) out.push({ kind: "added", block: added[a] });
    const { runs, cells } = best.match;
    out.push({ kind: "changed", before, after: added[best.j], runs, ...(cells ? { cells } : {}) });
    r = i + 1;
    a = best.j + 1;
  });
  for (; r < removed.length; r++) out.push({ kind: "removed", block: removed[r] });
  for (; a < added.length; a++) out.push({ kind: "added", block: added[a] });
  return out;
}

interface Match {
  score: number;
  runs: Run[];
  cells?: Run[][];
}

/** A ceiling on the similarity `compare` can find, computed without a diff; 0 for blocks that never pair. */
function upperBound(before: DiffBlock, after: DiffBlock): number {
  if (before.type !== after.type || Boolean(before.quoted) !== Boolean(after.quoted)) return 0;
  if (before.type === "heading" && after.type === "heading" && before.level !== after.level) return 0;
  if (before.type === "image" || (before.type === "tableRow" && after.type === "tableRow" && before.cells.length === after.cells.length))
    return 1;
  // Shared tokens bound the common subsequence: most unrelated blocks are ruled out without a diff.
  const from = tokensOf(before);
  const to = tokensOf(after);
  const total = from.tokens.length + to.tokens.length;
  return total === 0 ? 1 : (2 * sharedTokens(from.counts, to.counts)) / total;
}

/** Blocks of one kind compared token by token; null when too little survived to call it an edit. */
function compare(before: DiffBlock, after: DiffBlock): Match | null {
  if (before.type === "image" && after.type === "image") {
    // An image in the same place is the same figure, redrawn or redescribed: diff its description.
    const sameAlt = before.alt === after.alt;
    const runs = sameAlt
      ? mergeRuns([run("del", before.alt), run("ins", after.alt)])
      : tokenDiff(tokenize(before.alt), tokenize(after.alt)).runs;
    return { score: 1, runs };
  }
  if (before.type === "tableRow" && after.type === "tableRow" && before.cells.length === after.cells.length) {
    // Rows stay rows: pair them when any cell was kept, even if the rest was rewritten.
    const diffs = before.cells.map((cell, i) => tokenDiff(tokenize(cell), tokenize(after.cells[i])));
    const same = diffs.reduce((n, d) => n + d.same, 0);
    const total = diffs.reduce((n, d) => n + d.total, 0);
    const score = total === 0 ? 1 : (2 * same) / total;
    const keptCell = before.cells.some((cell, i) => cell === after.cells[i]);
    if (score < SIMILAR && !keptCell) return null;
    const cells = diffs.map((d) => d.runs);
    const runs = mergeRuns(cells.flatMap((c, i) => (i === 0 ? c : [run("same", CELL_SEPARATOR), ...c])));
    return { score, runs, cells };
  }
  const from = tokensOf(before).tokens;
  const to = tokensOf(after).tokens;
  // Stop early once the edits alone rule out a pairing: edits = (1 - similarity) × all tokens.
  const diff = tokenDiff(from, to, Math.floor((from.length + to.length) * (1 - SIMILAR)));
  if (!diff) return null;
  const score = diff.total === 0 ? 1 : (2 * diff.same) / diff.total;
  return score >= SIMILAR ? { score, runs: diff.runs } : null;
}

const tokenCache = new WeakMap<DiffBlock, { tokens: string[]; counts: Map<string, number> }>();

function tokensOf(block: DiffBlock) {
  let entry = tokenCache.get(block);
  if (!entry) {
    const tokens = tokenize(block.text);
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    tokenCache.set(block, (entry = { tokens, counts }));
  }
  return entry;
}

function sharedTokens(from: Map<string, number>, to: Map<string, number>): number {
  let shared = 0;
  for (const [token, count] of from) shared += Math.min(count, to.get(token) ?? 0);
  return shared;
}

function tokenDiff(from: string[], to: string[]): { runs: Run[]; same: number; total: number };
function tokenDiff(from: string[], to: string[], maxEditLength: number): { runs: Run[]; same: number; total: number } | null;
function tokenDiff(from: string[], to: string[], maxEditLength?: number) {
  const changes = maxEditLength === undefined ? diffArrays(from, to) : diffArrays(from, to, { maxEditLength });
  if (!changes) return null;
  const same = changes.reduce((n, c) => (c.added || c.removed ? n : n + c.count), 0);
  return { runs: toRuns(changes), same, total: from.length + to.length };
}

/**
 * Change objects to runs, deletions before insertions. A lone token kept between two edits
 * (one character of a rewritten Chinese phrase, the space between two replaced words) is
 * folded into them: "我们今天学习" → "同学们明天复习" reads as one replacement, not confetti.
 */
function toRuns(changes: ChangeObject<string[]>[]): Run[] {
  type Segment = { same: string[] } | { del: string[]; ins: string[] };
  const segments: Segment[] = [];
  for (const change of changes) {
    const last = segments.at(-1);
    if (!change.added && !change.removed) segments.push({ same: change.value });
    else if (last && "del" in last) (change.added ? last.ins : last.del).push(...change.value);
    else segments.push(change.added ? { del: [], ins: [...change.value] } : { del: [...change.value], ins: [] });
  }
  for (let i = 1; i < segments.length - 1; i++) {
    const [prev, kept, next] = segments.slice(i - 1, i + 2);
    if ("same" in kept && "del" in prev && "del" in next && (kept.same.length === 1 || kept.same.every((t) => /^\s+$/.test(t)))) {
      segments.splice(i - 1, 3, { del: [...prev.del, ...kept.same, ...next.del], ins: [...prev.ins, ...kept.same, ...next.ins] });
      i -= 1;
    }
  }
  return mergeRuns(
    segments.flatMap((s) => ("same" in s ? [run("same", s.same.join(""))] : [run("del", s.del.join("")), run("ins", s.ins.join(""))])),
  );
}

function run(op: Run["op"], text: string): Run {
  return { op, text };
}

function mergeRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (!r.text) continue;
    const last = out.at(-1);
    if (last?.op === r.op) last.text += r.text;
    else out.push({ ...r });
  }
  return out;
}

function keyOf(block: DiffBlock): string {
  switch (block.type) {
    case "heading":
      return JSON.stringify(["h", block.level, block.quoted, block.text]);
    case "listItem":
      // The number of an ordered item is not compared: inserting an item renumbers the rest.
      return JSON.stringify(["li", block.marker === BULLET, block.depth, block.quoted, block.text]);
    case "tableRow":
      return JSON.stringify(["tr", block.header, block.quoted, block.cells]);
    case "image":
      return JSON.stringify(["img", block.quoted, block.src, block.alt]);
    default:
      return JSON.stringify(["p", block.quoted, block.text]);
  }
}

/** A document as a flat list of blocks in reading order, empty paragraphs left out. */
export function blocksOf(doc: JSONContent): DiffBlock[] {
  const out: DiffBlock[] = [];
  collect(doc.content ?? [], false, out);
  return out;
}

function collect(nodes: JSONContent[], quoted: boolean, out: DiffBlock[], depth = 0): void {
  const q = quoted ? { quoted: true as const } : {};
  for (const node of nodes) {
    switch (node.type) {
      case "heading": {
        const text = textOf(node);
        if (text.trim()) out.push({ type: "heading", level: Number(node.attrs?.level) >= 3 ? 3 : 2, text, ...q });
        break;
      }
      case "paragraph": {
        const text = textOf(node);
        if (text.trim()) out.push({ type: "paragraph", text, ...q });
        break;
      }
      case "bulletList":
      case "orderedList": {
        const start = Number(node.attrs?.start ?? 1);
        (node.content ?? []).forEach((item, i) => {
          const own = (item.content ?? []).filter((child) => !isList(child));
          const text = own.map(textOf).filter(Boolean).join("\n");
          const marker = node.type === "orderedList" ? `${(Number.isFinite(start) ? start : 1) + i}.` : BULLET;
          if (text.trim()) out.push({ type: "listItem", marker, depth, text, ...q });
          collect((item.content ?? []).filter(isList), quoted, out, depth + 1);
        });
        break;
      }
      case "blockquote":
        collect(node.content ?? [], true, out, depth);
        break;
      case "table":
        for (const row of node.content ?? []) {
          const cells = (row.content ?? []).map(textOf);
          const header = cells.length > 0 && (row.content ?? []).every((cell) => cell.type === "tableHeader");
          out.push({ type: "tableRow", cells, header, text: cells.join(CELL_SEPARATOR), ...q });
        }
        break;
      case "image": {
        const src = String(node.attrs?.src ?? "");
        const alt = String(node.attrs?.alt ?? "");
        out.push({ type: "image", src, alt, text: `[image: ${alt}]`, ...q });
        break;
      }
      default:
        if (node.content) collect(node.content, quoted, out, depth);
    }
  }
}

const isList = (node: JSONContent) => node.type === "bulletList" || node.type === "orderedList";

/** The plain text of a node: inline text joined, hard breaks as newlines, nested blocks one per line. */
function textOf(node: JSONContent): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "hardBreak") return "\n";
  if (node.type === "image") return String(node.attrs?.alt ?? "");
  const parts = (node.content ?? []).map(textOf);
  return node.type === "paragraph" || node.type === "heading" ? parts.join("") : parts.filter(Boolean).join("\n");
}

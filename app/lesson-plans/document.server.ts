import { createHash } from "node:crypto";
import { TiptapTransformer } from "@hocuspocus/transformer";
import { getSchema, type JSONContent } from "@tiptap/core";
import * as Y from "yjs";
import { PLAN_FRAGMENT, planExtensions } from "./extensions";

/** What is stored for a plan's document: the Yjs state and what is derived from it. */
export interface StoredDocument {
  state: Uint8Array;
  stateHash: string;
  contentJson: JSONContent;
  contentText: string;
}

const extensions = planExtensions();
const transformer = TiptapTransformer.extensions(extensions);
/** Node types that hold text directly (paragraph, heading): each keeps one Y.XmlText. */
const TEXTBLOCKS = new Set(
  Object.values(getSchema(extensions).nodes)
    .filter((type) => type.isTextblock)
    .map((type) => type.name),
);

export const hashState = (state: Uint8Array) => createHash("sha256").update(state).digest("hex");

/** A Yjs document holding the tiptap JSON (the template, a restored version). */
export function yDocFromJson(json: JSONContent): Y.Doc {
  const doc = transformer.toYdoc(json, PLAN_FRAGMENT);
  doc.transact(() => ensureTextSlots(doc.getXmlFragment(PLAN_FRAGMENT)));
  return doc;
}

/**
 * Gives every empty paragraph and heading an empty Y.XmlText, as the editor's binding (patched,
 * see patches/) does for the blocks it creates. Two teachers who start typing in the same
 * empty paragraph then write into one shared Y.XmlText; without it each creates a Y.XmlText of
 * their own, and merging the two later garbles both texts. Call inside a transaction; returns
 * how many were added.
 */
export function ensureTextSlots(parent: Y.XmlFragment | Y.XmlElement): number {
  let added = 0;
  if (parent instanceof Y.XmlElement && TEXTBLOCKS.has(parent.nodeName)) {
    if (parent.length === 0) {
      parent.insert(0, [new Y.XmlText()]);
      added++;
    }
    return added;
  }
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlElement) added += ensureTextSlots(child);
  }
  return added;
}

export function jsonFromYDoc(doc: Y.Doc): JSONContent {
  return transformer.fromYdoc(doc, PLAN_FRAGMENT) as JSONContent;
}

export function describeYDoc(doc: Y.Doc): StoredDocument {
  const state = Y.encodeStateAsUpdate(doc);
  const contentJson = jsonFromYDoc(doc);
  return { state, stateHash: hashState(state), contentJson, contentText: plainText(contentJson) };
}

export function describeJson(json: JSONContent): StoredDocument {
  return describeYDoc(yDocFromJson(json));
}

export function yDocFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/** True when a Yjs state holds no change at all: what a document that failed to load looks like. */
export function isEmptyState(state: Uint8Array): boolean {
  return Y.encodeStateVectorFromUpdate(state).length <= 1;
}

const BLOCKS = new Set(["paragraph", "heading", "listItem", "tableRow", "blockquote", "image", "horizontalRule"]);

/**
 * The text of a document for search and diffs: one line per block, table cells separated
 * by " | ". Chinese and Tibetan substrings match (pg_trgm over this column).
 */
export function plainText(json: JSONContent): string {
  const lines: string[] = [];
  const walk = (node: JSONContent): string => {
    if (node.type === "text") return node.text ?? "";
    if (node.type === "hardBreak") return " ";
    if (node.type === "image") return (node.attrs?.alt as string | undefined) ?? "";
    if (node.type === "tableRow") {
      return (node.content ?? []).map((cell) => (cell.content ?? []).map(walk).join(" ").trim()).join(" | ");
    }
    const inner = (node.content ?? []).map(walk);
    if (node.type && BLOCKS.has(node.type) && node.type !== "listItem" && node.type !== "blockquote") {
      const line = inner.join("").trim();
      if (line) lines.push(line);
      return "";
    }
    return inner.join("");
  };
  walk(json);
  return lines.join("\n");
}

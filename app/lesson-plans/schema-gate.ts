import * as Y from "yjs";
import { PLAN_LIMITS } from "./plan-rules";
import { PLAN_FRAGMENT } from "./safety";
import { checkTally, checkTextChange, checkTopLevelBlock, invalid, roomForText, type PlanProblem } from "./schema-check";

export { PLAN_LIMITS } from "./plan-rules";
export { checkPlanFragment, checkTopLevelBlock, type PlanProblem, type PlanTally } from "./schema-check";
export { repairPlanFragment } from "./schema-repair";

export interface PlanGate {
  /**
   * Whether an incoming update may be applied to the document: null if so, else why not. Never
   * touches the document; call it only for updates that will be applied when it says null.
   */
  check(update: Uint8Array): PlanProblem | null;
  destroy(): void;
}

/** The origin of the gate's own transactions on its shadow document. */
const GATE = Symbol("plan-gate");

type Block = Y.XmlElement | Y.XmlText;
/** A type a transaction changed, as Yjs declares it. */
type Changed = Y.Transaction["changed"] extends Map<infer T, unknown> ? T : never;

/**
 * A gate for a plan's live document. It keeps a shadow copy of `doc` (every change to `doc`
 * is mirrored into it; changes it already has are no-ops), applies each incoming update to
 * the shadow first, and checks only the top-level blocks that update touched, plus what
 * holds for the whole document: images, and the state's size, which it tracks from the bytes
 * that come in and measures for real only when that estimate passes the limit. A refused
 * update leaves the shadow out of step; it is rebuilt from `doc`, which never saw it.
 *
 * Most updates are keystrokes: characters typed next to characters `doc` already has, or
 * erased. Those are checked against `doc` itself without being applied anywhere (isPlainTyping)
 * and reach the shadow in one transaction just before the next full check: applying each to
 * the shadow was most of what the gate cost (`npm run bench:collab`, 100 documents × 2).
 */
export function createPlanGate(
  doc: Y.Doc,
  fragmentName: string = PLAN_FRAGMENT,
  options: {
    /**
     * Changes of `doc` with such an origin passed `check` first (so the shadow has them):
     * not mirrored again. Applying an update twice costs as much as checking it.
     */
    checked?: (origin: unknown) => boolean;
  } = {},
): PlanGate {
  let shadow = new Y.Doc();
  let fragment = shadow.getXmlFragment(fragmentName);
  /** An upper bound of the shadow's encoded state. */
  let bytes = 0;
  /** Images per top-level block, so a change to one block recounts only that block. */
  let imagesOf = new WeakMap<Block, number>();
  let images = 0;
  /** Keystrokes accepted without the shadow, for it to catch up with before a full check. */
  let behind: Uint8Array[] = [];
  const plan = doc.getXmlFragment(fragmentName);

  const catchUp = () => {
    if (behind.length === 0) return;
    const updates = behind;
    behind = [];
    shadow.transact(() => {
      for (const update of updates) Y.applyUpdate(shadow, update, GATE);
    }, GATE);
  };

  const rebuild = () => {
    behind = [];
    shadow.destroy();
    shadow = new Y.Doc({ gc: doc.gc });
    const state = Y.encodeStateAsUpdate(doc);
    Y.applyUpdate(shadow, state, GATE);
    fragment = shadow.getXmlFragment(fragmentName);
    bytes = state.length;
    imagesOf = new WeakMap();
    images = countAll();
  };

  const countAll = () => {
    let total = 0;
    for (let item = fragment._start; item; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
      const block = item.content.type as Block;
      if (!imagesOf.has(block)) imagesOf.set(block, countImages(block));
      total += imagesOf.get(block)!;
    }
    return total;
  };

  const mirror = (update: Uint8Array, origin: unknown) => {
    if (origin === GATE || options.checked?.(origin)) return;
    shadow.transact((tr) => {
      Y.applyUpdate(shadow, update, GATE);
      if (tr.changed.size || tr.deleteSet.clients.size) bytes += update.length;
    }, GATE);
  };

  /** The top-level block a changed type is in; the fragment itself; null inside a deleted block; undefined outside the plan. */
  const topLevelOf = (type: Changed, root: unknown = fragment): Block | Y.XmlFragment | null | undefined => {
    for (let current = type; ;) {
      const item = current._item;
      if (item === null) return current === root ? (root as Y.XmlFragment) : undefined;
      if (item.deleted) return null;
      const parent = item.parent as Changed;
      if (parent === root) return current as unknown as Block;
      current = parent;
    }
  };

  const validate = (tr: Y.Transaction): PlanProblem | null => {
    const touched = new Set<Block>();
    // Text typed or formatted inside a block: only its marks and its block's length can change.
    const typed = new Map<Y.XmlText, Block>();
    let structure = false;
    for (const type of tr.changed.keys()) {
      const top = topLevelOf(type);
      if (top === undefined) return invalid("a change outside the plan's fragment");
      if (top === fragment) structure = true;
      else if (top !== null && (top as unknown) !== type && type instanceof Y.XmlText) typed.set(type, top as Block);
      else if (top !== null) touched.add(top as Block);
    }
    for (const [text, top] of typed) {
      const problem = touched.has(top) ? null : checkTextChange(text);
      if (problem) return problem;
    }
    if (structure) {
      // Blocks added by this update: their inner types are new too, so none of them is in `changed`.
      for (let item = fragment._start; item; item = item.right) {
        if (item.deleted || item.id.clock < (tr.beforeState.get(item.id.client) ?? 0)) continue;
        if (!(item.content instanceof Y.ContentType)) return invalid("a value that is not a node in the document");
        touched.add(item.content.type as Block);
      }
    }
    for (const block of touched) {
      const tally = { images: 0 };
      const problem = checkTopLevelBlock(block, tally);
      if (problem) return problem;
      images += tally.images - (imagesOf.get(block) ?? 0);
      imagesOf.set(block, tally.images);
    }
    // Blocks removed take their images with them.
    if (structure) images = countAll();
    return checkTally({ images });
  };

  /** The room left for text typed into `text` of `doc`: -1 outside the plan's fragment (or where no text belongs). */
  const roomInPlan = (text: Y.XmlText) => (topLevelOf(text as unknown as Changed, plan) === undefined ? -1 : roomForText(text));

  /**
   * Whether an update is waiting for another (updates that arrive out of order): then the next
   * update may apply it too, and a keystroke is no longer only a keystroke.
   */
  const waiting = () =>
    doc.store.pendingStructs !== null ||
    doc.store.pendingDs !== null ||
    shadow.store.pendingStructs !== null ||
    shadow.store.pendingDs !== null;

  const check = (update: Uint8Array): PlanProblem | null => {
    if (update.length > PLAN_LIMITS.updateBytes) {
      return { reason: "update-too-large", detail: `an update of ${update.length} bytes (at most ${PLAN_LIMITS.updateBytes})` };
    }
    if (bytes + update.length <= PLAN_LIMITS.documentBytes && !waiting() && isPlainTyping(doc, update, roomInPlan)) {
      behind.push(update);
      bytes += update.length;
      return null;
    }
    let problem: PlanProblem | null = null;
    try {
      catchUp();
      shadow.transact((tr) => {
        Y.applyUpdate(shadow, update, GATE);
        problem = validate(tr);
      }, GATE);
      bytes += update.length;
      if (!problem && bytes > PLAN_LIMITS.documentBytes) {
        bytes = Y.encodeStateAsUpdate(shadow).length;
        if (bytes > PLAN_LIMITS.documentBytes) {
          problem = { reason: "document-too-large", detail: `a document of ${bytes} bytes (at most ${PLAN_LIMITS.documentBytes})` };
        }
      }
    } catch (error) {
      problem = invalid(`an update that cannot be applied: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (problem) rebuild();
    return problem;
  };

  rebuild();
  doc.on("update", mirror);
  return {
    check,
    destroy() {
      doc.off("update", mirror);
      shadow.destroy();
    },
  };
}

/** The struct of `doc` that holds `id`, or null where `doc` does not have it (yet). */
function structAt(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  const structs = doc.store.clients.get(id.client);
  if (!structs || id.clock >= Y.getState(doc.store, id.client)) return null;
  return structs[Y.findIndexSS(structs, id.clock)];
}

/**
 * Whether an update only types characters next to characters `doc` already has, or erases
 * characters — what a keystroke sends. Such an update cannot add a node, an attribute, a mark
 * or nesting; `room` says how many characters may still be typed into a text (-1: none, or
 * the text is not in the plan). Anything else, or anything `doc` cannot place yet, answers
 * false and is checked in full.
 */
export function isPlainTyping(doc: Y.Doc, update: Uint8Array, room: (text: Y.XmlText) => number): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  const typed = new Map<Y.XmlText, number>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) return false;
    // An item with a neighbour goes where its left neighbour is (else its right one); the update
    // carries no parent for it.
    const left = struct.origin ? structAt(doc, struct.origin) : null;
    const right = struct.rightOrigin ? structAt(doc, struct.rightOrigin) : null;
    if ((struct.origin && !left) || (struct.rightOrigin && !right)) return false;
    const neighbour = left ?? right;
    if (!(neighbour instanceof Y.Item) || (right && (!(right instanceof Y.Item) || right.parent !== neighbour.parent))) return false;
    const text = neighbour.parent;
    if (!(text instanceof Y.XmlText) || neighbour.parentSub !== null) return false;
    typed.set(text, (typed.get(text) ?? 0) + struct.length);
  }
  for (const [client, ranges] of ds.clients) {
    const known = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      if (!known || clock + len > Y.getState(doc.store, client)) return false;
      for (let i = Y.findIndexSS(known, clock); i < known.length && known[i].id.clock < clock + len; i++) {
        const erased = known[i];
        if (!(erased instanceof Y.Item && (erased.content instanceof Y.ContentString || erased.content instanceof Y.ContentDeleted))) {
          return false;
        }
      }
    }
  }
  for (const [text, length] of typed) if (room(text) < length) return false;
  return true;
}

function countImages(block: Block): number {
  let count = 0;
  const stack: unknown[] = [block];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (!(next instanceof Y.XmlElement)) continue;
    if (next.nodeName === "image") count++;
    else stack.push(...next.toArray());
  }
  return count;
}

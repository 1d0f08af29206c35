import type { Connection, Extension } from "@hocuspocus/server";
import { sql } from "drizzle-orm";
import * as Y from "yjs";
import { selectRows } from "~/db/execute.server";
import { withServiceRole } from "~/db/system.server";
import { describeYDoc, ensureTextSlots, hashState, isEmptyState } from "~/lesson-plans/document.server";
import { PLAN_FRAGMENT, planIdOfDocument } from "~/lesson-plans/extensions";
import { repairPlanFragment } from "~/lesson-plans/schema-gate";
import { COLLAB_REASONS } from "../close-reasons";
import type { CollabContext, CollabDatabase } from "../context";
import { isAcknowledgement, readIncoming } from "../messages";
import { CollabRefusal } from "../refusal";
import type { UpdateLog } from "./update-log.server";

/** Closes a connection whose update could not be logged; the provider keeps it and sends it again. */
const TRY_AGAIN_LATER = 1013;

/**
 * Sends what it is given a few at a time, one event-loop turn after another. One log insert
 * acknowledges every update of its batch (tens, with many editors): sent in one burst, their
 * socket writes held the loop for milliseconds, and the updates arriving meanwhile (which the
 * other editors wait for) queued behind them.
 */
function releaseInTurns(perTurn = 2) {
  const queue: Array<() => void> = [];
  let head = 0;
  let scheduled = false;
  const drain = () => {
    for (let i = 0; i < perTurn && head < queue.length; i++) queue[head++]();
    if (head < queue.length) return void setImmediate(drain);
    queue.length = 0;
    head = 0;
    scheduled = false;
  };
  return (send: () => void) => {
    queue.push(send);
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  };
}

/**
 * Where the plans' documents live in the database.
 * - Acknowledged means durable: an editor's update is appended to the update log, and the
 *   acknowledgement Hocuspocus sends for it (the provider's "saved") is held back until the
 *   append is in the database. Applying and broadcasting do not wait, so the other editors
 *   see it as fast as without the log.
 * - The debounced store compacts: it writes the state with its JSON and text, then deletes the
 *   log rows that state now holds.
 * - Loading merges the stored state with the log, repairs what breaks the schema, and gives
 *   empty paragraphs their text slot; a document that changed on loading is stored at once.
 * Only documents that loaded are ever written back, and never as an empty state.
 */
export function persistence(options: { database: CollabDatabase; log: UpdateLog }) {
  const { database, log } = options;
  const loaded = new WeakSet<Y.Doc>();
  const storedHash = new Map<string, string>();
  /** Log rows applied to the live document and not yet compacted, per document. */
  const applied = new Map<string, string[]>();
  /** The log append of the update a connection is handling now (one message at a time). */
  const handling = new WeakMap<Connection<CollabContext>, { documentName: string; appended: Promise<string> }>();
  /** Per connection: every append so far; its acknowledgements wait for them, in order. */
  const durable = new WeakMap<Connection<CollabContext>, Promise<unknown>>();

  const release = releaseInTurns();

  /** Holds the connection's acknowledgements until `appended` (and every earlier append) is stored. */
  function acknowledgeAfter(connection: Connection<CollabContext>, appended: Promise<unknown>) {
    if (!durable.has(connection)) {
      const send = connection.send.bind(connection);
      connection.send = (message: Uint8Array) => {
        if (!isAcknowledgement(message)) return send(message);
        // Never sent if an append failed: the connection is closed and the provider sends it again.
        durable.get(connection)!.then(
          () => release(() => send(message)),
          () => {},
        );
      };
    }
    const previous = durable.get(connection) ?? Promise.resolve();
    durable.set(connection, Promise.all([previous, appended]));
  }
  let closed = false;

  async function store(documentName: string, document: Y.Doc) {
    const planId = planIdOfDocument(documentName);
    if (!planId || !loaded.has(document) || closed) return;
    // What is described now holds exactly these log rows.
    const rows = applied.get(documentName) ?? [];
    const compacted = rows.length;
    const described = describeYDoc(document);
    if (storedHash.get(documentName) !== described.stateHash) {
      if (isEmptyState(described.state)) {
        console.warn(`collab: refusing to store an empty document over ${documentName}`);
        return;
      }
      // One statement: the state and what derives from it change together.
      await withServiceRole(await database.db(), (tx) =>
        tx.execute(sql`
          update public.lesson_plan_documents
          set state = ${Buffer.from(described.state)}, content_json = ${JSON.stringify(described.contentJson)}::jsonb,
              content_text = ${described.contentText}, state_hash = ${described.stateHash}, updated_at = now()
          where plan_id = ${planId}`),
      );
      storedHash.set(documentName, described.stateHash);
    }
    // Only after the state is stored: a crash in between leaves rows that loading merges again.
    await log.remove(rows.slice(0, compacted));
    rows.splice(0, compacted);
  }

  /**
   * Debounced stores run one at a time, yielding to the event loop between them: when many
   * documents reach their maximum debounce together (everyone typing), converting them (and
   * writing them, with PGlite in-process) would otherwise hold the loop for seconds.
   */
  let storing: Promise<unknown> = Promise.resolve();
  function storeInTurn(documentName: string, document: Y.Doc): Promise<void> {
    const turn = storing.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => store(documentName, document));
    storing = turn.catch(() => {});
    return turn;
  }

  async function load(documentName: string, document: Y.Doc) {
    const planId = planIdOfDocument(documentName);
    if (!planId) throw new CollabRefusal(COLLAB_REASONS.forbidden);
    // A failure here unloads the document: an empty one never replaces the stored one.
    const [rows, logged] = await Promise.all([
      withServiceRole(await database.db(), (tx) =>
        selectRows<{ state: Uint8Array }>(tx, sql`select state from public.lesson_plan_documents where plan_id = ${planId}`),
      ),
      log.read(planId),
    ]).catch((error: unknown) => {
      console.warn(`collab: could not load ${documentName}:`, error instanceof Error ? error.message : error);
      throw new CollabRefusal(COLLAB_REASONS.unavailable);
    });
    const row = rows[0];
    if (!row) throw new CollabRefusal(COLLAB_REASONS.unavailable);
    const state = new Uint8Array(row.state);
    Y.applyUpdate(document, state);
    for (const entry of logged) {
      try {
        Y.applyUpdate(document, entry.update);
      } catch (error) {
        console.warn(`collab: skipping unreadable logged update ${entry.id} of ${documentName}:`, error);
      }
    }
    applied.set(
      documentName,
      logged.map((entry) => entry.id),
    );
    let changed = 0;
    document.transact(() => {
      const fragment = document.getXmlFragment(PLAN_FRAGMENT);
      const repairs = repairPlanFragment(fragment);
      if (repairs > 0) console.warn(`collab: repaired ${repairs} part(s) of ${documentName} that broke the plan's schema`);
      changed = repairs + ensureTextSlots(fragment);
    });
    loaded.add(document);
    if (logged.length === 0 && changed === 0) {
      storedHash.set(documentName, hashState(Y.encodeStateAsUpdate(document)));
      return;
    }
    // Merged or repaired: stored now, so the read views and every later load agree with it.
    storedHash.set(documentName, "");
    await storeInTurn(documentName, document).catch((error: unknown) =>
      console.warn(`collab: could not store ${documentName} after loading:`, error instanceof Error ? error.message : error),
    );
  }

  const extension: Extension<CollabContext> = {
    extensionName: "tongke-persistence",
    async onLoadDocument({ documentName, document }) {
      await load(documentName, document);
    },
    async beforeHandleMessage({ connection, documentName, update: raw }) {
      if (!connection || connection.readOnly) return;
      const incoming = readIncoming(raw);
      if (incoming.kind !== "update") return;
      const planId = planIdOfDocument(documentName);
      if (!planId) return;
      const appended = log.append(planId, incoming.update);
      acknowledgeAfter(connection, appended);
      handling.set(connection, { documentName, appended });
      appended.catch((error: unknown) => {
        console.warn(`collab: could not log an update of ${documentName}:`, error instanceof Error ? error.message : error);
        connection.close({ code: TRY_AGAIN_LATER, reason: COLLAB_REASONS.unavailable });
      });
    },
    async afterHandleMessage({ connection }) {
      const entry = connection && handling.get(connection);
      if (!entry) return;
      handling.delete(connection);
      // Applied now; the row is compacted with the first store after its id is known (a store
      // before that leaves the row for the next one, or for loading, which merges it again).
      void entry.appended.then(
        (id) => applied.get(entry.documentName)?.push(id),
        () => {},
      );
    },
    async onStoreDocument({ documentName, document }) {
      await storeInTurn(documentName, document);
    },
    async afterUnloadDocument({ documentName }) {
      storedHash.delete(documentName);
      applied.delete(documentName);
    },
  };

  return {
    extension,
    /** Whether this document's stored state was read (only such documents are written back). */
    isLoaded: (document: Y.Doc) => loaded.has(document),
    /** Stores now (flush, shutdown). */
    store,
    /** No store writes after this (the database is about to close). */
    stop() {
      closed = true;
    },
  };
}

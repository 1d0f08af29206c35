import type { Extension } from "@hocuspocus/server";
import { PLAN_FRAGMENT } from "~/lesson-plans/extensions";
import { createPlanGate, type PlanProblem } from "~/lesson-plans/schema-gate";
import { COLLAB_REASONS, COLLAB_REFUSAL_CODE } from "../close-reasons";
import type { CollabContext } from "../context";
import { neutralize, readIncoming } from "../messages";

const REASONS: Record<PlanProblem["reason"], string> = {
  "invalid-content": COLLAB_REASONS.invalidContent,
  "update-too-large": COLLAB_REASONS.updateTooLarge,
  "document-too-large": COLLAB_REASONS.documentTooLarge,
};

/** A change Hocuspocus applies for an editor's connection (readers' are never applied). */
const isEditorUpdate = (origin: unknown) => {
  const connection = (origin as { source?: string; connection?: { readOnly?: boolean } } | null)?.connection;
  return (origin as { source?: string } | null)?.source === "connection" && connection !== undefined && !connection.readOnly;
};

/**
 * Every update an editor sends is checked against the plan's schema and size limits before it
 * is applied, logged or broadcast. A refused update closes the sender's connection with a named
 * reason (the editor drops its local copy and returns to the last saved state); nobody else
 * ever sees it.
 */
export function schemaGate(): Extension<CollabContext> {
  const gates = new Map<string, ReturnType<typeof createPlanGate>>();
  /** Connections closed for a refused update: what they had queued after it is dropped too. */
  const refused = new WeakSet<object>();
  return {
    extensionName: "tongke-schema-gate",
    async afterLoadDocument({ documentName, document }) {
      gates.get(documentName)?.destroy();
      // What an editor's connection applies went through check() first.
      gates.set(documentName, createPlanGate(document, PLAN_FRAGMENT, { checked: isEditorUpdate }));
    },
    async beforeHandleMessage({ connection, documentName, update: raw }) {
      if (!connection) return;
      if (refused.has(connection)) return neutralize(raw);
      if (connection.readOnly) return; // a reader's updates are never applied
      const incoming = readIncoming(raw);
      if (incoming.kind !== "update") return;
      const gate = gates.get(documentName);
      let problem: PlanProblem | null;
      try {
        problem = gate ? gate.check(incoming.update) : { reason: "invalid-content", detail: "no gate for the document" };
      } catch (error) {
        problem = { reason: "invalid-content", detail: `unreadable update: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (!problem) return;
      console.warn(`collab: refused an update to ${documentName} from ${connection.context?.userId ?? "?"}: ${problem.detail}`);
      refused.add(connection);
      connection.close({ code: COLLAB_REFUSAL_CODE, reason: REASONS[problem.reason] });
      neutralize(raw);
    },
    async afterUnloadDocument({ documentName }) {
      gates.get(documentName)?.destroy();
      gates.delete(documentName);
    },
  };
}

// TEMPORARY until app/lesson-plans/schema-gate.ts lands.
import type * as Y from "yjs";
export type PlanProblem = { reason: "invalid-content" | "update-too-large" | "document-too-large"; detail: string };
export function createPlanGate(_doc: Y.Doc) {
  return { check: (update: Uint8Array): PlanProblem | null => (update.length > 1 << 20 ? { reason: "update-too-large", detail: "" } : null), destroy() {} };
}
export const repairPlanFragment = (_fragment: Y.XmlFragment) => 0;

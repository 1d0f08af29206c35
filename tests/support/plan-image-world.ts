import type { DbHandle } from "../../app/db/client.server";
import { callCreatePlan, callTransitionPlan, DEFAULT_PLAN, documentWith } from "./lesson-plan-world";
import { createPairingWorld, PAIRING_PERSONAS, type PairingPersona } from "./pairing-world";

/** Who may do what with the images of a draft plan led by teacherA with teacherB as co-author. */
export const PLAN_ACCESS: Record<PairingPersona | "anonymous", "edit" | "read" | null> = {
  anonymous: null,
  stranger: null,
  teacherA: "edit",
  adminA: "read",
  teacherB: "edit",
  adminB: "read",
  teacherC: null,
  coordinatorX: "read",
  coordinatorY: "read",
  coordinatorY2: "read",
  coordinatorZ: null,
  platformAdmin: "read",
};

export const PLAN_PERSONAS = ["anonymous", ...PAIRING_PERSONAS] as const;

/**
 * The pairing world (see pairing-world.ts) with the A–B pairing active and a draft lesson
 * plan in it, created through public.create_lesson_plan by teacherA, with teacherB as
 * co-author.
 */
export async function createPlanImageWorld(handle: DbHandle) {
  const w = await createPairingWorld(handle);
  const pairing = await w.pairingIn("active");
  const planId = await w.as("teacherA", (tx) =>
    callCreatePlan(tx, pairing.id, {
      ...DEFAULT_PLAN,
      leadAuthorId: w.users.teacherA.id,
      coauthorIds: [w.users.teacherB.id],
      document: documentWith("光的折射"),
    }),
  );

  /** Moves the plan through review to final (定稿), after which nobody edits it. */
  async function finalizePlan() {
    for (const action of ["submit", "finalize"]) {
      const [{ version }] = await handle.query<{ version: number }>("select version from public.lesson_plans where id = $1", [planId]);
      await w.as("teacherA", (tx) => callTransitionPlan(tx, planId, action, version));
    }
  }

  return { ...w, pairing, planId, finalizePlan };
}

export type PlanImageWorld = Awaited<ReturnType<typeof createPlanImageWorld>>;

import { sql } from "drizzle-orm";
import type { DbHandle } from "../../app/db/client.server";
import { selectRows } from "../../app/db/execute.server";
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
  const planId = await w.as("teacherA", async (tx) => {
    const [row] = await selectRows<{ id: string }>(
      tx,
      sql`select public.create_lesson_plan(${pairing.id}::uuid, ${"光的折射"}::text, ${"physics"}::text, 8, null::text,
          1, ${"zh-CN"}::text, null::uuid, ${sql.param([w.users.teacherB.id])}::uuid[], decode('00', 'hex'),
          ${JSON.stringify({ type: "doc", content: [] })}::jsonb, ''::text) as id`,
    );
    return row.id;
  });

  /** Moves the plan through review to final (定稿), after which nobody edits it. */
  async function finalizePlan() {
    for (const action of ["submit", "finalize"]) {
      const [{ version }] = await handle.query<{ version: number }>("select version from public.lesson_plans where id = $1", [planId]);
      await w.as("teacherA", (tx) =>
        selectRows(tx, sql`select public.transition_lesson_plan(${planId}::uuid, ${action}::text, ${version}::integer)`),
      );
    }
  }

  return { ...w, pairing, planId, finalizePlan };
}

export type PlanImageWorld = Awaited<ReturnType<typeof createPlanImageWorld>>;

import { sql } from "drizzle-orm";
import type { DbHandle, Transaction } from "../../app/db/client.server";
import type { LessonPlanAction, LessonPlanStatus, PairingStatus } from "../../app/db/enums";
import { selectRows } from "../../app/db/execute.server";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { describeJson, type StoredDocument } from "../../app/lesson-plans/document.server";
import { addMembership, createUser } from "./factories";
import { createPairingWorld, PAIRING_PERSONAS } from "./pairing-world";

/**
 * Everyone the lesson-plan rules distinguish, signed in: the pairing world's people plus a
 * lead author (主备人) teaching at A and a co-author teaching at B. teacherA and teacherB
 * are then the other teachers of the two schools.
 */
export const LESSON_PLAN_PERSONAS = ["leadA", "coauthorB", ...PAIRING_PERSONAS] as const;
export type LessonPlanPersona = (typeof LESSON_PLAN_PERSONAS)[number];
export type AnyPersona = LessonPlanPersona | "anonymous";

/** A small document as the app server builds it (Yjs state, tiptap JSON, plain text, hash). */
export function documentWith(text: string): StoredDocument {
  return describeJson({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
}

export interface PlanInput {
  title?: string | null;
  subject?: string | null;
  grade?: number | null;
  textbookUnit?: string | null;
  periods?: number | null;
  language?: string | null;
  leadAuthorId?: string | null;
  coauthorIds?: (string | null)[] | null;
  document?: StoredDocument | null;
}

export interface PlanUpdate {
  title?: string | null;
  subject?: string | null;
  grade?: number | null;
  textbookUnit?: string | null;
  periods?: number | null;
  leadAuthorId?: string | null;
  coauthorIds?: (string | null)[] | null;
}

export const DEFAULT_PLAN = {
  title: "  《秋天的雨》第一课时 ",
  subject: "chinese",
  grade: 3,
  textbookUnit: "第三单元",
  periods: 2,
  language: "zh-CN",
};

const bytes = (document: StoredDocument | null | undefined) => (document ? Buffer.from(document.state) : null);

/** Calls public.create_lesson_plan as the transaction's user; the new plan's id. */
export async function callCreatePlan(tx: Transaction, pairingId: string, input: Required<PlanInput>): Promise<string> {
  const d = input.document;
  const [row] = await selectRows<{ id: string }>(
    tx,
    sql`select public.create_lesson_plan(${pairingId}::uuid, ${input.title}::text, ${input.subject}::text,
        ${input.grade}::integer, ${input.textbookUnit}::text, ${input.periods}::integer, ${input.language}::text,
        ${input.leadAuthorId}::uuid, ${sql.param(input.coauthorIds)}::uuid[], ${bytes(d)}::bytea,
        ${d ? JSON.stringify(d.contentJson) : null}::jsonb, ${d?.contentText ?? null}::text) as id`,
  );
  return row.id;
}

/** Calls public.update_lesson_plan; the plan's new version. */
export async function callUpdatePlan(
  tx: Transaction,
  planId: string,
  expectedVersion: number | null,
  input: Required<PlanUpdate>,
): Promise<number> {
  const [row] = await selectRows<{ version: number }>(
    tx,
    sql`select public.update_lesson_plan(${planId}::uuid, ${expectedVersion}::integer, ${input.title}::text,
        ${input.subject}::text, ${input.grade}::integer, ${input.textbookUnit}::text, ${input.periods}::integer,
        ${input.leadAuthorId}::uuid, ${sql.param(input.coauthorIds)}::uuid[]) as version`,
  );
  return Number(row.version);
}

/** Calls public.transition_lesson_plan; the plan's new version. */
export async function callTransitionPlan(
  tx: Transaction,
  planId: string,
  action: LessonPlanAction | string | null,
  expectedVersion: number | null,
): Promise<number> {
  const [row] = await selectRows<{ version: number }>(
    tx,
    sql`select public.transition_lesson_plan(${planId}::uuid, ${action}::text, ${expectedVersion}::integer) as version`,
  );
  return Number(row.version);
}

export interface PlanRow {
  id: string;
  pairing_id: string;
  base_plan_id: string | null;
  title: string;
  subject: string;
  grade: number;
  textbook_unit: string | null;
  periods: number;
  language: string;
  status: LessonPlanStatus;
  lead_author_id: string;
  created_by: string;
  version: number;
}

/** The path through the functions from a new draft to each status, each step taken by the lead. */
const PLAN_PATHS: Record<LessonPlanStatus, LessonPlanAction[]> = {
  draft: [],
  in_review: ["submit"],
  final: ["submit", "finalize"],
  archived: ["submit", "finalize", "archive"],
};

/**
 * The pairing world (regions X, Y, Z; schools A, C in X, B in Y, D in Z; their people) with
 * a lead author at A and a co-author at B. Plans are made and moved only through the
 * functions, as the lead author would. Every call builds a new world.
 */
export async function createLessonPlanWorld(handle: DbHandle) {
  const w = await createPairingWorld(handle);
  const leadA = await createUser(handle, { displayName: "leadA" });
  const coauthorB = await createUser(handle, { displayName: "coauthorB" });
  await addMembership(handle, w.schoolA.id, leadA.id, "teacher");
  await addMembership(handle, w.schoolB.id, coauthorB.id, "teacher");
  w.nameOf(leadA.id, "leadA");
  w.nameOf(coauthorB.id, "coauthorB");
  const users = { ...w.users, leadA, coauthorB } as Record<LessonPlanPersona, typeof leadA>;

  function as<T>(persona: AnyPersona, work: (tx: Transaction) => Promise<T>): Promise<T> {
    return withUserTransaction(handle.db, persona === "anonymous" ? null : users[persona].claims, work);
  }

  async function plan(id: string): Promise<PlanRow> {
    const [row] = await handle.query<PlanRow>("select * from public.lesson_plans where id = $1", [id]);
    if (!row) throw new Error(`No lesson plan ${id}`);
    return row;
  }

  const world = {
    ...w,
    users,
    as,
    plan,
    /** Creates a plan (as leadA by default) led by leadA with coauthorB, unless told otherwise. */
    createPlan(pairingId: string, input: PlanInput = {}, persona: AnyPersona = "leadA") {
      const pick = <K extends keyof PlanInput>(key: K, fallback: PlanInput[K]) =>
        (input[key] === undefined ? fallback : input[key]) as Required<PlanInput>[K];
      return as(persona, (tx) =>
        callCreatePlan(tx, pairingId, {
          title: pick("title", DEFAULT_PLAN.title),
          subject: pick("subject", DEFAULT_PLAN.subject),
          grade: pick("grade", DEFAULT_PLAN.grade),
          textbookUnit: pick("textbookUnit", DEFAULT_PLAN.textbookUnit),
          periods: pick("periods", DEFAULT_PLAN.periods),
          language: pick("language", DEFAULT_PLAN.language),
          leadAuthorId: pick("leadAuthorId", leadA.id),
          coauthorIds: pick("coauthorIds", [coauthorB.id]),
          document: pick("document", documentWith("教学目标：感受秋天的美")),
        }),
      );
    },
    /** Changes what `changes` names and keeps the rest as the plan is; expectedVersion defaults to the current one. */
    async updatePlan(persona: AnyPersona, planId: string, changes: PlanUpdate = {}, options: { expectedVersion?: number | null } = {}) {
      const current = await plan(planId);
      const coauthors = await world.coauthorIds(planId);
      const pick = <K extends keyof PlanUpdate>(key: K, fallback: PlanUpdate[K]) =>
        (changes[key] === undefined ? fallback : changes[key]) as Required<PlanUpdate>[K];
      const expected = options.expectedVersion === undefined ? current.version : options.expectedVersion;
      return as(persona, (tx) =>
        callUpdatePlan(tx, planId, expected, {
          title: pick("title", current.title),
          subject: pick("subject", current.subject),
          grade: pick("grade", current.grade),
          textbookUnit: pick("textbookUnit", current.textbook_unit),
          periods: pick("periods", current.periods),
          leadAuthorId: pick("leadAuthorId", current.lead_author_id),
          coauthorIds: pick("coauthorIds", coauthors),
        }),
      );
    },
    /** expectedVersion defaults to the plan's current version. */
    async transitionPlan(
      persona: AnyPersona,
      planId: string,
      action: LessonPlanAction | string | null,
      options: { expectedVersion?: number | null } = {},
    ) {
      const expected = options.expectedVersion === undefined ? (await plan(planId)).version : options.expectedVersion;
      return as(persona, (tx) => callTransitionPlan(tx, planId, action, expected));
    },
    adaptPlan(persona: AnyPersona, basePlanId: string) {
      return as(persona, async (tx) => {
        const [row] = await selectRows<{ id: string }>(tx, sql`select public.adapt_lesson_plan(${basePlanId}::uuid) as id`);
        return row.id;
      });
    },
    saveVersion(persona: AnyPersona, planId: string, name: string | null, document: StoredDocument | null = documentWith(name ?? "")) {
      return as(persona, async (tx) => {
        const [row] = await selectRows<{ id: string }>(
          tx,
          sql`select public.save_lesson_plan_version(${planId}::uuid, ${name}::text, ${bytes(document)}::bytea,
              ${document ? JSON.stringify(document.contentJson) : null}::jsonb, ${document?.contentText ?? null}::text) as id`,
        );
        return row.id;
      });
    },
    recordRestore(persona: AnyPersona, planId: string, versionId: string) {
      return as(persona, (tx) => tx.execute(sql`select public.record_lesson_plan_restore(${planId}::uuid, ${versionId}::uuid)`));
    },
    /** What private.lesson_plan_access answers `persona` for each plan. */
    accessOf(persona: AnyPersona, planIds: string[]) {
      return as(persona, async (tx) => {
        const rows = await selectRows<{ id: string; access: string | null }>(
          tx,
          sql`select id, private.lesson_plan_access(id) as access
              from unnest(${sql.param(planIds)}::uuid[]) with ordinality as p(id, i) order by i`,
        );
        return rows.map((r) => r.access);
      });
    },
    /** The plan's co-authors' ids, as the owner reads them. */
    async coauthorIds(planId: string) {
      const rows = await handle.query<{ user_id: string }>(
        "select user_id from public.lesson_plan_coauthors where plan_id = $1 order by added_at, user_id",
        [planId],
      );
      return rows.map((r) => r.user_id);
    },
    /** The plan's co-authors, labelled and sorted. */
    async coauthors(planId: string) {
      return (await world.coauthorIds(planId)).map((id) => w.label(id) as string).sort();
    },
    /** A plan in `planStatus` (reached by the lead author) in a pairing of A and B in `pairingStatus`. */
    async planIn(planStatus: LessonPlanStatus, pairingStatus: Extract<PairingStatus, "active" | "paused" | "ended"> = "active") {
      const pairing = await w.pairingIn("active");
      const id = await world.createPlan(pairing.id);
      for (const action of PLAN_PATHS[planStatus]) await world.transitionPlan("leadA", id, action);
      await world.movePairing(pairing.id, pairingStatus);
      return plan(id);
    },
    /** Several plans of one pairing, reached through the functions, then the pairing moved to `pairingStatus`. */
    async plansIn(statuses: readonly LessonPlanStatus[], pairingStatus: Extract<PairingStatus, "active" | "paused" | "ended">) {
      const pairing = await w.pairingIn("active");
      const ids: string[] = [];
      for (const status of statuses) {
        const id = await world.createPlan(pairing.id);
        // One named version each, saved while the plan could still be edited.
        await world.saveVersion("leadA", id, "初稿");
        for (const action of PLAN_PATHS[status]) await world.transitionPlan("leadA", id, action);
        ids.push(id);
      }
      await world.movePairing(pairing.id, pairingStatus);
      return { pairingId: pairing.id, ids };
    },
    /** Pauses or ends an active pairing as X's coordinator (active leaves it as it is). */
    async movePairing(pairingId: string, status: "active" | "paused" | "ended") {
      if (status === "paused") await w.transition("coordinatorX", pairingId, "pause", { reason: "寒假" });
      if (status === "ended") await w.transition("coordinatorX", pairingId, "end", { reason: "合作期满" });
    },
    /** The pairing's lesson-plan events, oldest first, actors labelled. */
    async planEvents(pairingId: string) {
      return (await w.events(pairingId)).filter((e) => e.kind.startsWith("lesson_plan_"));
    },
  };
  return world;
}

export type LessonPlanWorld = Awaited<ReturnType<typeof createLessonPlanWorld>>;

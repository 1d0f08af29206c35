import { sql } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
import type { Language, LessonPlanAction } from "~/db/enums";
import { selectRows } from "~/db/execute.server";
import { refusalOf } from "~/db/refusals";
import { i18nServer } from "~/i18n/i18next.server";
import { pickName } from "~/i18n/localized-name";
import type { JSONContent } from "@tiptap/core";
import type { StoredDocument } from "./document.server";
import { lessonPlanTemplate } from "./template.server";

/** The translation key of a lesson-plan function's refusal; rethrows anything unexpected. */
export function planRefusal(error: unknown): string {
  const refusal = refusalOf(error, "lessonPlans");
  if (!refusal) throw error;
  return refusal.key;
}

const uuidArray = (ids: string[]) =>
  ids.length
    ? sql`array[${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}]`
    : sql`array[]::uuid[]`;

export interface NewPlan {
  pairingId: string;
  title: string;
  subject: string;
  grade: number;
  textbookUnit?: string;
  periods: number;
  language: Language;
  leadAuthorId: string;
  coauthorIds: string[];
}

/**
 * Turns tiptap JSON into a stored document (Yjs state and what derives from it). Routes pass
 * the collaboration server's (`context.tongke.collab.describe`), so Yjs is loaded by one module
 * system only; tests may pass `describeJson` directly.
 */
export type DescribeDocument = (json: JSONContent) => StoredDocument;

/** The template in the plan's language, with the pairing's two schools named in 学情分析. */
async function templateFor(tx: Transaction, pairingId: string, language: Language, describe: DescribeDocument): Promise<StoredDocument> {
  const schools = await selectRows<{ name_zh: string; name_bo: string | null; name_en: string | null }>(
    tx,
    sql`select s.name_zh, s.name_bo, s.name_en
        from public.pairings p join public.schools s on s.id in (p.school_a_id, p.school_b_id)
        where p.id = ${pairingId}
        order by s.id = p.school_a_id desc`,
  );
  const name = (i: number) =>
    schools[i] ? pickName({ nameZh: schools[i].name_zh, nameBo: schools[i].name_bo, nameEn: schools[i].name_en }, language).text : "";
  const t = await i18nServer.getFixedT(language, "lessonPlans");
  return describe(lessonPlanTemplate(t as never, { a: name(0), b: name(1) }));
}

/** Creates a plan, its template document and its co-authors in one call; returns its id. */
export async function createPlan(tx: Transaction, plan: NewPlan, describe: DescribeDocument): Promise<string> {
  const document = await templateFor(tx, plan.pairingId, plan.language, describe);
  const [row] = await selectRows<{ id: string }>(
    tx,
    sql`select public.create_lesson_plan(
          ${plan.pairingId}, ${plan.title}, ${plan.subject}, ${plan.grade}, ${plan.textbookUnit ?? null}, ${plan.periods},
          ${plan.language}, ${plan.leadAuthorId}, ${uuidArray(plan.coauthorIds)},
          ${Buffer.from(document.state)}, ${JSON.stringify(document.contentJson)}::jsonb, ${document.contentText}) as id`,
  );
  return row.id;
}

export async function updatePlan(
  tx: Transaction,
  planId: string,
  plan: Omit<NewPlan, "pairingId" | "language"> & { expectedVersion: number },
): Promise<number> {
  const [row] = await selectRows<{ version: number }>(
    tx,
    sql`select public.update_lesson_plan(
          ${planId}, ${plan.expectedVersion}, ${plan.title}, ${plan.subject}, ${plan.grade}, ${plan.textbookUnit ?? null},
          ${plan.periods}, ${plan.leadAuthorId}, ${uuidArray(plan.coauthorIds)}) as version`,
  );
  return row.version;
}

export async function transitionPlan(tx: Transaction, planId: string, action: LessonPlanAction, expectedVersion: number) {
  const [row] = await selectRows<{ version: number }>(
    tx,
    sql`select public.transition_lesson_plan(${planId}, ${action}, ${expectedVersion}) as version`,
  );
  return row.version;
}

export async function adaptPlan(tx: Transaction, basePlanId: string): Promise<string> {
  const [row] = await selectRows<{ id: string }>(tx, sql`select public.adapt_lesson_plan(${basePlanId}) as id`);
  return row.id;
}

export async function saveVersion(tx: Transaction, planId: string, name: string, document: StoredDocument): Promise<string> {
  const [row] = await selectRows<{ id: string }>(
    tx,
    sql`select public.save_lesson_plan_version(${planId}, ${name}, ${Buffer.from(document.state)},
          ${JSON.stringify(document.contentJson)}::jsonb, ${document.contentText}) as id`,
  );
  return row.id;
}

export async function recordRestore(tx: Transaction, planId: string, versionId: string): Promise<void> {
  await selectRows(tx, sql`select public.record_lesson_plan_restore(${planId}, ${versionId})`);
}

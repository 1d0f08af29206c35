import type { JSONContent } from "@tiptap/core";
import { sql } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
import type { Language, LessonPlanStatus, Subject } from "~/db/enums";
import { selectRows } from "~/db/execute.server";
import { beforeCursor, cursorTime, keysetCursor, parseKeysetCursor } from "~/db/keyset";
import type { PlanFilters } from "./schemas";

export interface PlanSummary {
  id: string;
  title: string;
  subject: Subject;
  grade: number;
  status: LessonPlanStatus;
  leadAuthorId: string;
  leadAuthorName: string | null;
  baseplanId: string | null;
  updatedAt: Date;
}

// The columns of a plan's summary, for one plan (getPlan); listPlans pages its own.
const summaryColumns = sql`lp.id, lp.title, lp.subject, lp.grade, lp.status, lp.lead_author_id as "leadAuthorId",
  (select author.display_name from public.profiles author where author.id = lp.lead_author_id) as "leadAuthorName",
  lp.base_plan_id as "baseplanId", greatest(lp.updated_at, d.updated_at) as "updatedAt"`;

const toSummary = (row: PlanSummary): PlanSummary => ({ ...row, updatedAt: new Date(row.updatedAt) });

/** Escapes LIKE's wildcards so a search for "100%" finds "100%". */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** How many plans a list shows at a time. */
export const PLANS_PAGE = 50;

/**
 * A page of the plans of a pairing the reader may see, filtered, most recently changed first:
 * those before `before` (a cursor this function returned as `older`), with how many match in
 * all. The search matches titles and content (Chinese and Tibetan substrings too, through the
 * pg_trgm indexes).
 */
export async function listPlans(
  tx: Transaction,
  pairingId: string,
  filters: PlanFilters = {},
  options: { limit?: number; before?: string | null } = {},
): Promise<{ plans: PlanSummary[]; older: string | null; paged: boolean; total: number }> {
  const limit = options.limit ?? PLANS_PAGE;
  const cursor = parseKeysetCursor(options.before);
  const conditions = [sql`lp.pairing_id = ${pairingId}`];
  if (filters.subject) conditions.push(sql`lp.subject = ${filters.subject}`);
  if (filters.grade) conditions.push(sql`lp.grade = ${filters.grade}`);
  if (filters.status) conditions.push(sql`lp.status = ${filters.status}`);
  if (filters.lead) conditions.push(sql`lp.lead_author_id = ${filters.lead}`);
  if (filters.q) {
    const pattern = likePattern(filters.q);
    conditions.push(sql`(lp.title ilike ${pattern} or d.content_text ilike ${pattern})`);
  }
  // The inner query matches and counts (sorting needs every match anyway); the outer one takes
  // the page and looks up the lead's name for the plans shown only.
  const rows = await selectRows<PlanSummary & { total: number; at: string }>(
    tx,
    sql`select m.id, m.title, m.subject, m.grade, m.status, m."leadAuthorId", m."baseplanId", m."updatedAt", m.total,
               ${cursorTime(sql`m."updatedAt"`)} as at,
               (select author.display_name from public.profiles author where author.id = m."leadAuthorId") as "leadAuthorName"
        from (
          select lp.id, lp.title, lp.subject, lp.grade, lp.status, lp.lead_author_id as "leadAuthorId",
                 lp.base_plan_id as "baseplanId", greatest(lp.updated_at, d.updated_at) as "updatedAt",
                 count(*) over () as total
          from public.lesson_plans lp
          left join public.lesson_plan_documents d on d.plan_id = lp.id
          where ${sql.join(conditions, sql` and `)}
        ) m
        where ${beforeCursor(cursor, sql`m."updatedAt"`, sql`m.id`) ?? sql`true`}
        order by m."updatedAt" desc, m.id desc
        limit ${limit + 1}`,
  );
  const last = rows[limit - 1];
  return {
    plans: rows.slice(0, limit).map(({ total: _, at: __, ...plan }) => toSummary(plan)),
    older: rows.length > limit ? keysetCursor(last.at, last.id) : null,
    paged: cursor !== null,
    total: Number(rows[0]?.total ?? 0),
  };
}

export interface PlanDetail extends PlanSummary {
  pairingId: string;
  textbookUnit: string | null;
  periods: number;
  language: Language;
  version: number;
  createdAt: Date;
  access: "edit" | "read";
  /** The reader is the lead author or a co-author. */
  isAuthor: boolean;
  isLead: boolean;
  /** The reader teaches at one of the pairing's schools (may adapt a final plan). */
  isPairingMember: boolean;
  pairingStatus: string;
  coauthors: { id: string; displayName: string | null }[];
  base: { id: string; title: string } | null;
  contentJson: JSONContent;
  contentText: string;
  contentUpdatedAt: Date;
}

/** One plan as the reader may see it, or null (no such plan, or not theirs to read). */
export async function getPlan(tx: Transaction, planId: string): Promise<PlanDetail | null> {
  const [row] = await selectRows<PlanDetail & { contentJson: JSONContent | string }>(
    tx,
    sql`select ${summaryColumns}, lp.pairing_id as "pairingId", lp.textbook_unit as "textbookUnit", lp.periods,
               lp.language, lp.version, lp.created_at as "createdAt",
               private.lesson_plan_access(lp.id) as access,
               pr.status as "pairingStatus",
               (lp.lead_author_id = (select auth.uid())) as "isLead",
               (lp.lead_author_id = (select auth.uid()) or exists (
                 select 1 from public.lesson_plan_coauthors c where c.plan_id = lp.id and c.user_id = (select auth.uid())
               )) as "isAuthor",
               (private.is_school_member(pr.school_a_id) or private.is_school_member(pr.school_b_id)) as "isPairingMember",
               coalesce((select json_agg(json_build_object('id', c.user_id, 'displayName', p.display_name) order by p.display_name)
                         from public.lesson_plan_coauthors c left join public.profiles p on p.id = c.user_id
                         where c.plan_id = lp.id), '[]'::json) as coauthors,
               case when base.id is null then null else json_build_object('id', base.id, 'title', base.title) end as base,
               d.content_json as "contentJson", d.content_text as "contentText", d.updated_at as "contentUpdatedAt"
        from public.lesson_plans lp
        join public.pairings pr on pr.id = lp.pairing_id
        left join public.lesson_plans base on base.id = lp.base_plan_id
        left join public.lesson_plan_documents d on d.plan_id = lp.id
        where lp.id = ${planId}`,
  );
  if (!row) return null;
  const parse = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);
  return {
    ...toSummary(row),
    ...row,
    updatedAt: new Date(row.updatedAt),
    createdAt: new Date(row.createdAt),
    contentUpdatedAt: new Date(row.contentUpdatedAt),
    coauthors: parse(row.coauthors),
    base: row.base === null ? null : parse(row.base),
    contentJson: parse(row.contentJson) ?? { type: "doc", content: [] },
  };
}

export interface PlanVersion {
  id: string;
  name: string;
  createdAt: Date;
  authorName: string | null;
}

export async function listVersions(tx: Transaction, planId: string): Promise<PlanVersion[]> {
  const rows = await selectRows<PlanVersion>(
    tx,
    sql`select v.id, v.name, v.created_at as "createdAt", p.display_name as "authorName"
        from public.lesson_plan_versions v left join public.profiles p on p.id = v.created_by
        where v.plan_id = ${planId} order by v.created_at desc limit 100`,
  );
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}

export async function getVersion(tx: Transaction, planId: string, versionId: string) {
  const [row] = await selectRows<PlanVersion & { contentJson: JSONContent | string; state: Uint8Array }>(
    tx,
    sql`select v.id, v.name, v.created_at as "createdAt", p.display_name as "authorName",
               v.content_json as "contentJson", v.state
        from public.lesson_plan_versions v left join public.profiles p on p.id = v.created_by
        where v.plan_id = ${planId} and v.id = ${versionId}`,
  );
  if (!row) return null;
  return {
    ...row,
    createdAt: new Date(row.createdAt),
    contentJson: typeof row.contentJson === "string" ? (JSON.parse(row.contentJson) as JSONContent) : row.contentJson,
    state: new Uint8Array(row.state),
  };
}

/** The reader's own name, shown on their caret to the others. */
export async function displayNameOf(tx: Transaction, userId: string): Promise<string | null> {
  const [row] = await selectRows<{ name: string | null }>(tx, sql`select display_name as name from public.profiles where id = ${userId}`);
  return row?.name ?? null;
}

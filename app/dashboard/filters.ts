import { z } from "zod";
import { STAGES, type Stage } from "~/db/enums";
import { TERM_PATTERN, termOf } from "~/pairings/schemas";

/** The terms the filter offers: the current one and the three before it, newest first. */
export function recentTerms(now: Date, count = 4): string[] {
  const terms = [termOf(now)];
  while (terms.length < count) terms.push(previousTerm(terms[terms.length - 1]));
  return terms;
}

export function previousTerm(term: string): string {
  const [, from, to, half] = TERM_PATTERN.exec(term)!;
  return half === "2" ? `${from}-${to}-1` : `${Number(from) - 1}-${from}-2`;
}

/**
 * When a term runs, in China's time zone, as termOf counts it: the first term from
 * 1 August to the end of January, the second from 1 February to the end of July.
 */
export function termWindow(term: string): { start: Date; end: Date } {
  const [, from, to, half] = TERM_PATTERN.exec(term)!;
  return half === "1"
    ? { start: new Date(`${from}-08-01T00:00:00+08:00`), end: new Date(`${to}-02-01T00:00:00+08:00`) }
    : { start: new Date(`${to}-02-01T00:00:00+08:00`), end: new Date(`${to}-08-01T00:00:00+08:00`) };
}

/** The months of a term ("2026-08" … "2027-01"), in Asia/Shanghai time. */
export function termMonths(term: string): string[] {
  const [, from, to, half] = TERM_PATTERN.exec(term)!;
  const first = half === "1" ? { year: Number(from), month: 8 } : { year: Number(to), month: 2 };
  return Array.from({ length: 6 }, (_, i) => {
    const m = first.month - 1 + i;
    return `${first.year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
  });
}

export const DashboardFiltersSchema = z.object({
  term: z
    .string()
    .regex(TERM_PATTERN, "validation:invalidChoice")
    .refine((t) => {
      const [, from, to] = TERM_PATTERN.exec(t) ?? [];
      return Number(to) === Number(from) + 1;
    }, "validation:invalidChoice")
    .optional(),
  stage: z.union([z.literal(""), z.enum(STAGES, { errorMap: () => ({ message: "validation:invalidChoice" }) })]).optional(),
});

export interface DashboardFilters {
  term: string;
  stage: Stage | null;
}

/** The filters of a dashboard or export URL; a 400 for values no form offers. */
export function parseDashboardFilters(url: URL, now = new Date()): DashboardFilters {
  const parsed = DashboardFiltersSchema.safeParse({
    term: url.searchParams.get("term") || undefined,
    stage: url.searchParams.get("stage") ?? undefined,
  });
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  return { term: parsed.data.term ?? termOf(now), stage: parsed.data.stage || null };
}

export function filtersQuery(filters: DashboardFilters): string {
  const params = new URLSearchParams({ term: filters.term });
  if (filters.stage) params.set("stage", filters.stage);
  return params.toString();
}

import type { TFunction } from "i18next";
import type { PlanForExport } from "./types";

/** Tibetan letters, vowel signs, tsheg and shad: text the Latin and Chinese fonts have no glyphs for. */
export const isTibetan = (codePoint: number) => codePoint >= 0x0f00 && codePoint <= 0x0fff;

/** Tibetan letters and the spaces between them: no more than what the Tibetan font has glyphs for. */
export const TIBETAN_RUN = /[\u0F00-\u0FFF]+(?:[ \u00A0]+[\u0F00-\u0FFF]+)*/g;

/** A Tibetan phrase: from Tibetan to Tibetan, with the digits, Latin and spaces in between but no Chinese. */
export const TIBETAN_PHRASE = /[\u0F00-\u0FFF](?:[^\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]*[\u0F00-\u0FFF])?/g;

export interface ScriptRun {
  text: string;
  tibetan: boolean;
}

/** Text cut into Tibetan and other runs, in order, so each can get its own language and font. */
export function scriptRuns(text: string, tibetan: RegExp = TIBETAN_RUN): ScriptRun[] {
  const runs: ScriptRun[] = [];
  let last = 0;
  for (const match of text.matchAll(tibetan)) {
    if (match.index > last) runs.push({ text: text.slice(last, match.index), tibetan: false });
    runs.push({ text: match[0], tibetan: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), tibetan: false });
  return runs;
}

const DATE_TIME = { dateStyle: "long", timeStyle: "short", timeZone: "Asia/Shanghai" } as const;

/** A moment as China reads it, in the reader's language. */
export const formatDateTime = (t: TFunction, date: Date) => t("planExport:dateTime", { date, formatParams: { date: DATE_TIME } });

export const exportedFrom = (t: TFunction, date: Date) => t("planExport:exportedFrom", { date, formatParams: { date: DATE_TIME } });

/** The plan's details as label–value rows, the same in every export. */
export function metadataRows(plan: PlanForExport, t: TFunction): [label: string, value: string][] {
  const list = (items: string[]) => (items.length ? items.join(t("planExport:listSeparator")) : t("planExport:metadata.none"));
  return [
    [t("planExport:metadata.subject"), plan.subject],
    [t("planExport:metadata.grade"), plan.grade],
    [t("planExport:metadata.textbookUnit"), plan.textbookUnit || t("planExport:metadata.none")],
    [t("planExport:metadata.periods"), t("planExport:metadata.periodCount", { count: plan.periods })],
    [t("planExport:metadata.leadAuthor"), plan.leadAuthor],
    [t("planExport:metadata.coauthors"), list(plan.coauthors)],
    [t("planExport:metadata.schools"), list(plan.schools)],
    [t("planExport:metadata.status"), plan.status],
    [t("planExport:metadata.updated"), formatDateTime(t, plan.updatedAt)],
  ];
}

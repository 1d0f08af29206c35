import type { Locale } from "~/i18n/config";
import { pickName } from "~/i18n/localized-name";
import type { getPairing } from "~/pairings/queries.server";
import type { Author } from "./plan-form";

/**
 * Who may write a plan in this pairing — the people of both schools the pairing already
 * lists — labelled with their school in the reader's language, once each.
 */
export function authorsOf(pairing: NonNullable<Awaited<ReturnType<typeof getPairing>>>, locale: Locale): Author[] {
  const names = new Map([
    [pairing.schoolA.id, pickName(pairing.schoolA, locale).text],
    [pairing.schoolB.id, pickName(pairing.schoolB, locale).text],
  ]);
  const authors = new Map<string, Author>();
  for (const p of pairing.people) {
    if (!authors.has(p.userId)) authors.set(p.userId, { id: p.userId, displayName: p.displayName, school: names.get(p.schoolId) ?? "" });
  }
  return [...authors.values()].sort((x, y) => x.school.localeCompare(y.school) || (x.displayName ?? "").localeCompare(y.displayName ?? ""));
}

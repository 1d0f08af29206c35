import { formatSchoolStamp } from "~/live/time";

/** Times as China reads them, the same on the page and in the exports: 2026-11-29 08:50. */
export const formatStamp = (iso: string | null) => (iso ? formatSchoolStamp(new Date(iso)) : null);

/** "2026–2027 school year, first term" in the reader's language. */
export function termLabel(term: string, t: (key: string, options?: Record<string, unknown>) => string) {
  return t("pairings:termName", { from: term.slice(0, 4), to: term.slice(5, 9), half: t(`pairings:half.${term.slice(10)}`) });
}

import type { Transaction } from "~/db/client.server";
import type { Locale } from "~/i18n/config";
import { pickName } from "~/i18n/localized-name";
import type { getPairing } from "~/pairings/queries.server";
import type { Author } from "./plan-form";
import { pairingAuthors } from "./queries.server";

/** Who may write a plan in this pairing, labelled with their school in the reader's language. */
export async function authorsOf(
  tx: Transaction,
  pairing: NonNullable<Awaited<ReturnType<typeof getPairing>>>,
  locale: Locale,
): Promise<Author[]> {
  const names = new Map([
    [pairing.schoolA.id, pickName(pairing.schoolA, locale).text],
    [pairing.schoolB.id, pickName(pairing.schoolB, locale).text],
  ]);
  const rows = await pairingAuthors(tx, pairing.id);
  return rows
    .map((r) => ({ id: r.id, displayName: r.displayName, school: names.get(r.schoolId) ?? "" }))
    .sort((x, y) => x.school.localeCompare(y.school) || (x.displayName ?? "").localeCompare(y.displayName ?? ""));
}

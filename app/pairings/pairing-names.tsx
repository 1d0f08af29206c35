import { useTranslation } from "react-i18next";
import type { PairingStatus } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { LocalizedName, type Names } from "~/i18n/localized-name";

export function StatusBadge({ status }: { status: PairingStatus }) {
  const { t } = useTranslation("pairings");
  return <span className={`badge badge--${status}`}>{t(`status.${status}`)}</span>;
}

/** "School A ⇄ School B", each in the reader's language where it has a name in it. */
export function PairingTitle({ a, b, locale }: { a: Names; b: Names; locale: Locale }) {
  return (
    <>
      <LocalizedName names={a} locale={locale} /> <span aria-hidden="true">⇄</span> <LocalizedName names={b} locale={locale} />
    </>
  );
}

import { useTranslation } from "react-i18next";
import type { LiveSessionStatus } from "~/db/enums";
import "~/styles/live.css";

/** A live class's status, in words (never colour alone). Its own module: lists import it without the forms. */
export function LiveStatusBadge({ status }: { status: LiveSessionStatus }) {
  const { t } = useTranslation("live");
  return <span className={`badge badge--live-${status}`}>{t(`status.${status}`)}</span>;
}

import { Link } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Locale } from "~/i18n/config";
import { LocalizedName } from "~/i18n/localized-name";
import { StatusBadge } from "~/pairings/pairing-names";
import { formatStamp } from "./format";
import type { DashboardPairing } from "./queries.server";

/** One row per pairing; the table scrolls inside its own (focusable) container on a phone. */
export function PairingTable({ pairings, caption, locale }: { pairings: DashboardPairing[]; caption: string; locale: Locale }) {
  const { t } = useTranslation("dashboard");
  const captionId = useId();
  if (pairings.length === 0) return <p className="muted">{t("table.none")}</p>;
  const num = (n: number | null) => (n === null ? <span aria-label={t("table.noGoals")}>–</span> : n);
  return (
    <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("columns.pairing")}</th>
            <th scope="col">{t("columns.status")}</th>
            <th scope="col" className="num">{t("columns.membersA")}</th>
            <th scope="col" className="num">{t("columns.membersB")}</th>
            <th scope="col" className="num">{t("columns.planned")}</th>
            <th scope="col" className="num">{t("columns.held")}</th>
            <th scope="col" className="num">{t("columns.cancelled")}</th>
            <th scope="col" className="num">{t("columns.lessonPlans")}</th>
            <th scope="col" className="num">{t("columns.observations")}</th>
            <th scope="col">{t("columns.lastActivity")}</th>
          </tr>
        </thead>
        <tbody>
          {pairings.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                <Link to={`/pairings/${p.id}`}>
                  <LocalizedName names={p.schoolA} locale={locale} /> <span aria-hidden="true">⇄</span>{" "}
                  <LocalizedName names={p.schoolB} locale={locale} />
                </Link>
                <span className="data-table__sub">
                  {t(`common:stages.${p.schoolA.stage}`)} · {t(`common:stages.${p.schoolB.stage}`)}
                </span>
              </th>
              <td>
                <StatusBadge status={p.status} />
              </td>
              <td className="num">{p.schoolA.members}</td>
              <td className="num">{p.schoolB.members}</td>
              <td className="num">{num(p.planned)}</td>
              <td className="num">{p.held}</td>
              <td className="num">{p.cancelled}</td>
              <td className="num">{p.lessonPlans}</td>
              <td className="num">{p.observations}</td>
              <td>{p.lastActivity ? <time dateTime={p.lastActivity}>{formatStamp(p.lastActivity)}</time> : t("table.never")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { Link } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { LIVE_SESSION_CHANGE_REASONS } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { LocalizedName, pickName } from "~/i18n/localized-name";
import { StatusBadge } from "~/pairings/pairing-names";
import { formatStamp } from "./format";
import type { DashboardPairing, DashboardRegion, LiveSessionCounts } from "./queries.server";

/** "3 (网络 2 · 天气 1)": the reasons that occurred, in the order the reason codes are listed. */
function cancelledText(counts: LiveSessionCounts, t: TFunction<"dashboard">) {
  const reasons = LIVE_SESSION_CHANGE_REASONS.filter((r) => counts.cancelledBy[r] > 0)
    .map((r) => t("table.reasonCount", { reason: t(`reasons.${r}`), count: counts.cancelledBy[r] }))
    .join(" · ");
  return reasons ? t("table.cancelledWithReasons", { count: counts.cancelled, reasons }) : String(counts.cancelled);
}

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
            <th scope="col" className="num">
              {t("columns.membersA")}
            </th>
            <th scope="col" className="num">
              {t("columns.membersB")}
            </th>
            <th scope="col" className="num">
              {t("columns.planned")}
            </th>
            <th scope="col" className="num">
              {t("columns.scheduled")}
            </th>
            <th scope="col" className="num">
              {t("columns.held")}
            </th>
            <th scope="col" className="num">
              {t("columns.cancelled")}
            </th>
            <th scope="col" className="num">
              {t("columns.minutesTaught")}
            </th>
            <th scope="col" className="num">
              {t("columns.students")}
            </th>
            <th scope="col" className="num">
              {t("columns.participants")}
            </th>
            <th scope="col" className="num">
              {t("columns.lessonPlans")}
            </th>
            <th scope="col" className="num">
              {t("columns.observations")}
            </th>
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
              <td className="num">{p.scheduled}</td>
              <td className="num">{p.held}</td>
              <td className="num">{cancelledText(p, t)}</td>
              <td className="num">{p.minutesTaught}</td>
              <td className="num">{p.students}</td>
              <td className="num">{p.participants}</td>
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

/** A region's live classes of the term, summed over the listed pairings touching it. */
export function RegionLiveTotals({ region, locale }: { region: DashboardRegion; locale: Locale }) {
  const { t } = useTranslation("dashboard");
  const totals = region.totals;
  const rows: [string, number | string, string?][] = [
    ["planned", totals.planned],
    ["scheduled", totals.scheduled],
    ["held", totals.held],
    ["cancelled", cancelledText(totals, t)],
    ["minutesTaught", totals.minutesTaught],
    ["students", totals.students],
    ["participants", totals.participants, t("totals.participantsNote")],
    ["observations", totals.observations],
  ];
  return (
    <table className="data-table data-table--compact">
      <caption>{t("totals.caption", { region: pickName(region, locale).text })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("totals.measure")}</th>
          <th scope="col" className="num">
            {t("columns.total")}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, value, note]) => (
          <tr key={key}>
            <th scope="row">
              {t(`columns.${key}`)}
              {note ? <span className="data-table__sub">{note}</span> : null}
            </th>
            <td className="num">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

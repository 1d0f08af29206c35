import { useId } from "react";
import { useTranslation } from "react-i18next";
import { PAIRING_STATUSES } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { pickName } from "~/i18n/localized-name";
import type { DashboardRegion } from "./queries.server";

const ROW = 28;
const LABEL = 150;
const BAR = 260;
const WIDTH = LABEL + BAR + 48;

/**
 * A region's pairings by state: server-rendered SVG bars for those who would rather look,
 * and the same numbers in a table beside it for those who would rather read (or listen).
 */
export function StatusChart({ region, locale }: { region: DashboardRegion; locale: Locale }) {
  const { t } = useTranslation("dashboard");
  const titleId = useId();
  const regionName = pickName(region, locale).text;
  const max = Math.max(1, ...PAIRING_STATUSES.map((s) => region.counts[s]));
  const summary = PAIRING_STATUSES.map((s) => t("chart.item", { status: t(`pairings:status.${s}`), count: region.counts[s] })).join(
    t("pairings:listSeparator"),
  );
  return (
    <div className="grid-2 dashboard-region">
      <svg
        className="status-chart"
        role="img"
        aria-labelledby={titleId}
        viewBox={`0 0 ${WIDTH} ${PAIRING_STATUSES.length * ROW + 8}`}
        width="100%"
      >
        <title id={titleId}>{t("chart.label", { region: regionName, summary })}</title>
        {PAIRING_STATUSES.map((status, i) => {
          const count = region.counts[status];
          const y = i * ROW + 4;
          const width = (count / max) * BAR;
          return (
            <g key={status} aria-hidden="true">
              <text x={LABEL - 8} y={y + ROW / 2} textAnchor="end" dominantBaseline="middle" className="status-chart__label">
                {t(`pairings:status.${status}`)}
              </text>
              <rect
                x={LABEL}
                y={y + 4}
                width={Math.max(width, count > 0 ? 2 : 0)}
                height={ROW - 8}
                rx={3}
                className={`status-chart__bar status-chart__bar--${status}`}
              />
              <text x={LABEL + width + 6} y={y + ROW / 2} dominantBaseline="middle" className="status-chart__value">
                {count}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="data-table data-table--compact">
        <caption>{t("chart.tableCaption", { region: regionName })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("columns.status")}</th>
            <th scope="col" className="num">
              {t("chart.count")}
            </th>
          </tr>
        </thead>
        <tbody>
          {PAIRING_STATUSES.map((status) => (
            <tr key={status}>
              <th scope="row">{t(`pairings:status.${status}`)}</th>
              <td className="num">{region.counts[status]}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("columns.total")}</th>
            <td className="num">{region.total}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

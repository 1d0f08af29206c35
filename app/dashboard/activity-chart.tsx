import { useId } from "react";
import { useTranslation } from "react-i18next";
import { schoolDateFormat } from "~/live/time";

const HEIGHT = 140;
const BAR = 44;
const GAP = 16;

/**
 * What happened month by month in the listed pairings (proposals, decisions, goals, and —
 * as they arrive — lesson plans and live classes): SVG columns, and the numbers in a table.
 */
export function ActivityChart({ activity }: { activity: { month: string; events: number }[] }) {
  const { t, i18n } = useTranslation("dashboard");
  const titleId = useId();
  const monthName = schoolDateFormat(i18n.language, "month");
  const label = (month: string) => monthName.format(new Date(`${month}-15T00:00:00Z`));
  const max = Math.max(1, ...activity.map((a) => a.events));
  const width = activity.length * (BAR + GAP) + GAP;
  const summary = activity.map((a) => t("activity.item", { month: label(a.month), count: a.events })).join(t("pairings:listSeparator"));
  return (
    <div className="grid-2">
      <svg className="status-chart" role="img" aria-labelledby={titleId} viewBox={`0 0 ${width} ${HEIGHT + 44}`} width="100%">
        <title id={titleId}>{t("activity.label", { summary })}</title>
        {activity.map((a, i) => {
          const h = (a.events / max) * HEIGHT;
          const x = GAP + i * (BAR + GAP);
          return (
            <g key={a.month} aria-hidden="true">
              <rect
                x={x}
                y={HEIGHT - h + 16}
                width={BAR}
                height={Math.max(h, a.events > 0 ? 2 : 0)}
                rx={3}
                className="status-chart__bar status-chart__bar--active"
              />
              <text x={x + BAR / 2} y={HEIGHT - h + 10} textAnchor="middle" className="status-chart__value">
                {a.events}
              </text>
              <text x={x + BAR / 2} y={HEIGHT + 34} textAnchor="middle" className="status-chart__label">
                {label(a.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="data-table data-table--compact">
        <caption>{t("activity.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("activity.month")}</th>
            <th scope="col" className="num">
              {t("activity.events")}
            </th>
          </tr>
        </thead>
        <tbody>
          {activity.map((a) => (
            <tr key={a.month}>
              <th scope="row">{label(a.month)}</th>
              <td className="num">{a.events}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

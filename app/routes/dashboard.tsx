import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pageTitle } from "~/components/page-title";
import { recentTerms } from "~/dashboard/filters";
import { ActivityChart } from "~/dashboard/activity-chart";
import { ExportLinks, FilterForm } from "~/dashboard/filter-form";
import { termLabel } from "~/dashboard/format";
import { PairingTable, RegionLiveTotals } from "~/dashboard/pairing-table";
import { requireDashboardReport } from "~/dashboard/report.server";
import { StatusChart } from "~/dashboard/status-chart";
import { LocalizedName } from "~/i18n/localized-name";
import type { loader as rootLoader } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "dashboard:title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { report, headers } = await requireDashboardReport(request, context);
  const terms = recentTerms(new Date());
  return data({ report, terms: terms.includes(report.filters.term) ? terms : [report.filters.term, ...terms] }, { headers });
};

export default function Dashboard() {
  const { t } = useTranslation("dashboard");
  const { report, terms } = useLoaderData<typeof loader>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  const term = termLabel(report.filters.term, t);
  const stage = report.filters.stage ? t(`common:stages.${report.filters.stage}`) : t("filters.allStages");
  return (
    <div className="page">
      <div className="page-heading">
        <h1>{t("title")}</h1>
      </div>
      <p className="muted">{t("intro")}</p>
      <FilterForm filters={report.filters} terms={terms} />
      <ExportLinks filters={report.filters} />
      <section aria-labelledby="dashboard-states">
        <h2 id="dashboard-states">{t("chart.heading")}</h2>
        {report.regions.map((region) => (
          <section key={region.id} className="card" aria-labelledby={`region-${region.id}`}>
            <h3 id={`region-${region.id}`}>
              <LocalizedName names={region} locale={locale} />
            </h3>
            <StatusChart region={region} locale={locale} />
            <RegionLiveTotals region={region} locale={locale} />
          </section>
        ))}
      </section>
      {report.activity.length ? (
        <section className="card" aria-labelledby="dashboard-activity">
          <h2 id="dashboard-activity">{t("activity.heading", { term })}</h2>
          <ActivityChart activity={report.activity} />
        </section>
      ) : null}
      <section aria-labelledby="dashboard-pairings">
        <h2 id="dashboard-pairings">{t("table.heading")}</h2>
        <PairingTable pairings={report.pairings} locale={locale} caption={t("table.caption", { term, stage })} />
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PlainSelect } from "~/components/plain-fields";
import { STAGES } from "~/db/enums";
import { filtersQuery, type DashboardFilters } from "./filters";
import { termLabel } from "./format";

/** A plain GET form: works without JavaScript, and the URL is the report's address. */
export function FilterForm({ filters, terms }: { filters: DashboardFilters; terms: string[] }) {
  const { t } = useTranslation("dashboard");
  return (
    <Form method="get" className="filters" aria-label={t("filters.label")}>
      <PlainSelect id="dashboard-term" label={t("filters.term")} name="term" defaultValue={filters.term}>
        {terms.map((term) => (
          <option key={term} value={term}>
            {termLabel(term, t)}
          </option>
        ))}
      </PlainSelect>
      <PlainSelect
        id="dashboard-stage"
        label={t("filters.stage")}
        placeholder={t("filters.allStages")}
        name="stage"
        defaultValue={filters.stage ?? ""}
      >
        {STAGES.map((stage) => (
          <option key={stage} value={stage}>
            {t(`common:stages.${stage}`)}
          </option>
        ))}
      </PlainSelect>
      <button type="submit" className="button">
        {t("filters.apply")}
      </button>
    </Form>
  );
}

/** Links to the same report as files; plain links so the browser downloads them. */
export function ExportLinks({ filters }: { filters: DashboardFilters }) {
  const { t } = useTranslation("dashboard");
  const query = filtersQuery(filters);
  return (
    <div className="button-row" role="group" aria-label={t("export.label")}>
      <a className="button button--secondary" href={`/dashboard/export/xlsx?${query}`} download>
        {t("export.xlsx")}
      </a>
      <a className="button button--secondary" href={`/dashboard/export/csv?${query}`} download>
        {t("export.csv")}
      </a>
    </div>
  );
}

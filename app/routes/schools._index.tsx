import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PlainInput, PlainSelect } from "~/components/plain-fields";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { STAGES } from "~/db/enums";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { LocalizedName, pickName } from "~/i18n/localized-name";
import type { loader as rootLoader } from "~/root";
import { regionsIManage } from "~/schools/mutations.server";
import { listRegions, searchSchools } from "~/schools/queries.server";
import { DirectoryQuerySchema } from "~/schools/schemas";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "directory:title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = DirectoryQuerySchema.safeParse(params);
  const query = parsed.success ? parsed.data : {};
  const errors = parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  const [regions, schools, managed] = await withUserTransaction(context.tongke.database, claims, (tx) =>
    Promise.all([listRegions(tx), searchSchools(tx, query), regionsIManage(tx, claims.sub)]),
  );
  return data(
    {
      regions,
      schools,
      canAddSchool: managed.length > 0,
      query: { q: params.q ?? "", region: params.region ?? "", stage: params.stage ?? "" },
      errors,
    },
    { headers, status: errors.length ? 400 : 200 },
  );
};

export default function Directory() {
  const { t } = useTranslation("directory");
  const { regions, schools, query, errors, canAddSchool } = useLoaderData<typeof loader>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  return (
    <div className="page">
      <div className="page-heading">
        <h1>{t("title")}</h1>
        {canAddSchool ? (
          <Link to="/schools/new" className="button button--secondary">
            {t("addSchool")}
          </Link>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("searchLabel")}>
        <PlainInput id="q" label={t("search")} name="q" type="search" defaultValue={query.q} placeholder={t("searchPlaceholder")} />
        <PlainSelect id="region" label={t("region")} placeholder={t("allRegions")} name="region" defaultValue={query.region}>
          {regions.map((r) => (
            <option key={r.id} value={r.id}>
              {pickName(r, locale).text}
            </option>
          ))}
        </PlainSelect>
        <PlainSelect id="stage" label={t("stage")} placeholder={t("allStages")} name="stage" defaultValue={query.stage}>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {t(`common:stages.${s}`)}
            </option>
          ))}
        </PlainSelect>
        <button type="submit" className="button">
          {t("apply")}
        </button>
      </Form>
      {errors.length ? (
        <p className="form-error" role="alert">
          {t(errors[0])}
        </p>
      ) : null}
      <p className="muted" role="status">
        {t("count", { count: schools.length })}
      </p>
      <ul className="school-list">
        {schools.map((s) => (
          <li key={s.id} className="school-card">
            <Link to={`/schools/${s.id}`} className="school-card__name">
              <LocalizedName names={s} locale={locale} />
            </Link>
            {s.nameBo && locale !== "bo" ? (
              <span className="school-card__alt" lang="bo">
                {s.nameBo}
              </span>
            ) : null}
            <span className="school-card__meta">
              <LocalizedName names={s.region} locale={locale} /> · {t(`common:stages.${s.stage}`)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { pageTitle, rootLocale } from "~/components/page-title";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { LocalizedName, pickName } from "~/i18n/localized-name";
import type { loader as rootLoader } from "~/root";
import { ClassroomsCard, InviteCard, PeopleCard } from "~/schools/school-cards";
import { canManageSchool } from "~/schools/mutations.server";
import { getSchool } from "~/schools/queries.server";
import { schoolPageAction } from "~/schools/school-admin.server";
import { requireUuidParam } from "~/components/route-params";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const locale = rootLocale(matches);
  return pageTitle(matches, "school:title", data ? pickName(data.school, locale).text : undefined);
};

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const id = requireUuidParam(params.schoolId);
  const { school, canManage } = await withUserTransaction(context.tongke.database, claims, async (tx) => ({
    school: await getSchool(tx, id),
    canManage: await canManageSchool(tx, id),
  }));
  if (!school) throw new Response("Not found", { status: 404 });
  return data({ school, canManage, me: claims.sub }, { headers });
};

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  schoolPageAction(request, context, requireUuidParam(params.schoolId));

export default function SchoolPage() {
  const { t } = useTranslation("school");
  const { school, canManage, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  const names = [school.nameZh, school.nameBo, school.nameEn].filter(Boolean);
  return (
    <div className="page">
      <h1>
        <LocalizedName names={school} locale={locale} />
      </h1>
      <p className="school-names">
        {names
          .filter((n) => n !== pickName(school, locale).text)
          .map((n) => (
            <span key={n} lang={n === school.nameBo ? "bo" : n === school.nameEn ? "en" : "zh-CN"}>
              {n}
            </span>
          ))}
      </p>
      <dl className="facts">
        <dt>{t("region")}</dt>
        <dd>
          <LocalizedName names={school.region} locale={locale} />
        </dd>
        <dt>{t("stage")}</dt>
        <dd>{t(`common:stages.${school.stage}`)}</dd>
      </dl>
      {canManage ? (
        <p>
          <Link to={`/schools/${school.id}/edit`} className="button button--secondary">
            {t("edit")}
          </Link>
        </p>
      ) : null}
      <div className="grid-2">
        <PeopleCard people={school.people} canManage={canManage} me={me} result={result} />
        <ClassroomsCard classrooms={school.classrooms} canManage={canManage} result={result} />
        {canManage ? <InviteCard result={result} locale={locale} /> : null}
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pageTitle } from "~/components/page-title";
import type { loader as rootLoader } from "~/root";
import { loadSchoolEditor, saveSchool } from "~/schools/school-admin.server";
import { SchoolForm } from "~/schools/school-form";
import { requireUuidParam } from "~/components/route-params";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "school:editTitle");

export const loader = ({ request, context, params }: LoaderFunctionArgs) =>
  loadSchoolEditor(request, context, requireUuidParam(params.schoolId));

export const action = ({ request, context, params }: ActionFunctionArgs) => saveSchool(request, context, requireUuidParam(params.schoolId));

export default function EditSchool() {
  const { t } = useTranslation("school");
  const { regions, school } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  return (
    <div className="page narrow">
      <h1>{t("editTitle")}</h1>
      <section className="card">
        <SchoolForm
          regions={regions}
          locale={locale}
          lastResult={lastResult}
          defaultValue={
            school
              ? { regionId: school.region.id, nameZh: school.nameZh, nameBo: school.nameBo, nameEn: school.nameEn, stage: school.stage }
              : undefined
          }
          submitLabel={t("save")}
        />
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

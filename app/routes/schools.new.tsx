import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pageTitle } from "~/components/page-title";
import type { loader as rootLoader } from "~/root";
import { loadSchoolEditor, saveSchool } from "~/schools/school-admin.server";
import { SchoolForm } from "~/schools/school-form";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "school:newTitle");

export const loader = ({ request, context }: LoaderFunctionArgs) => loadSchoolEditor(request, context);

export const action = ({ request, context }: ActionFunctionArgs) => saveSchool(request, context);

export default function NewSchool() {
  const { t } = useTranslation("school");
  const { regions } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  return (
    <div className="page narrow">
      <h1>{t("newTitle")}</h1>
      <section className="card">
        <SchoolForm regions={regions} locale={locale} lastResult={lastResult} submitLabel={t("create")} />
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

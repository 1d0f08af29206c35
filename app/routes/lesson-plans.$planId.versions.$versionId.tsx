import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getPlan, getVersion } from "~/lesson-plans/queries.server";
import { renderLabels, renderPlanHtml } from "~/lesson-plans/render.server";
import { schoolDateFormat } from "~/live/time";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, "lessonPlans:versions.viewTitle", data?.version.name);

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const planId = requireUuidParam(params.planId);
  const versionId = requireUuidParam(params.versionId);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const plan = await getPlan(tx, planId);
    const version = plan ? await getVersion(tx, planId, versionId) : null;
    return plan && version ? { plan, version } : null;
  });
  if (!result) throw new Response("Not found", { status: 404 });
  const { plan, version } = result;
  return data(
    {
      plan: { id: plan.id, title: plan.title, access: plan.access, language: plan.language },
      version: { id: version.id, name: version.name, createdAt: version.createdAt, authorName: version.authorName },
      html: renderPlanHtml(version.contentJson, await renderLabels(request)),
    },
    { headers },
  );
};

export default function PlanVersion() {
  const { t, i18n } = useTranslation("lessonPlans");
  const { plan, version, html } = useLoaderData<typeof loader>();
  const time = schoolDateFormat(i18n.language, "dateTime");
  return (
    <div className="page">
      <p>
        <Link to={`/lesson-plans/${plan.id}`}>{t("backToPlan")}</Link>
      </p>
      <h1>{t("versions.viewHeading", { name: version.name, title: plan.title })}</h1>
      <p className="muted">
        {version.authorName ?? t("unknownPerson")} ·{" "}
        <time dateTime={new Date(version.createdAt).toISOString()}>{time.format(new Date(version.createdAt))}</time>
      </p>
      {plan.access === "edit" ? (
        <Form method="post" action={`/lesson-plans/${plan.id}`} className="row">
          <input type="hidden" name="intent" value="restoreVersion" />
          <input type="hidden" name="versionId" value={version.id} />
          <button type="submit" className="button">
            {t("versions.restore")}
          </button>
          <span className="muted">{t("versions.restoreHint")}</span>
        </Form>
      ) : null}
      <article className="card plan-content" lang={plan.language} aria-label={t("view.content")}>
        {html ? <div dangerouslySetInnerHTML={{ __html: html }} /> : <p className="muted">{t("view.empty")}</p>}
      </article>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { FormError } from "~/components/form";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import type { LessonPlanAction, LessonPlanStatus } from "~/db/enums";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { planPageAction } from "~/lesson-plans/plan-actions.server";
import { PlanFacts, PlanStatusBadge } from "~/lesson-plans/plan-meta";
import { getPlan, listVersions } from "~/lesson-plans/queries.server";
import { renderLabels, renderPlanHtml } from "~/lesson-plans/render.server";
import { getLocale } from "~/i18n/i18next.server";
import { PlanClasses } from "~/live/plan-classes";
import { classesOfPlan } from "~/live/queries.server";
import { schoolDateFormat } from "~/live/time";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "lessonPlans:view.title", data?.plan.title);

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const planId = requireUuidParam(params.planId);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const plan = await getPlan(tx, planId);
    if (!plan) return null;
    return { plan, versions: await listVersions(tx, planId), classes: await classesOfPlan(tx, planId) };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  const { contentJson, contentText: _text, ...plan } = result.plan;
  // What editors have written this second, not what was last stored (stores are debounced).
  const live = context.tongke.collab.peek(planId);
  const locale = await getLocale(request);
  return data(
    {
      plan,
      versions: result.versions,
      classes: result.classes,
      locale,
      html: renderPlanHtml(live?.contentJson ?? contentJson, await renderLabels(request)),
    },
    { headers },
  );
};

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  planPageAction(request, context, requireUuidParam(params.planId));

/** Which workflow buttons the reader gets; the database checks again. */
function workflowActions(status: LessonPlanStatus, isLead: boolean, isAuthor: boolean, pairingActive: boolean): LessonPlanAction[] {
  if (!pairingActive || !isAuthor) return [];
  switch (status) {
    case "draft":
      return ["submit"];
    case "in_review":
      return isLead ? ["finalize", "return"] : [];
    case "final":
      return isLead ? ["archive"] : [];
    default:
      return [];
  }
}

export default function LessonPlanPage() {
  const { t, i18n } = useTranslation("lessonPlans");
  const { plan, versions, classes, locale, html } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const time = schoolDateFormat(i18n.language, "dateTime");
  const canEdit = plan.access === "edit";
  const actions = workflowActions(plan.status, plan.isLead, plan.isAuthor, plan.pairingStatus === "active");
  const canAdapt = plan.status === "final" && plan.isPairingMember && plan.pairingStatus === "active";
  const formErrors = actionData && "error" in actionData ? (actionData.error?.[""] ?? undefined) : undefined;
  return (
    <div className="page">
      <p>
        <Link to={`/pairings/${plan.pairingId}`}>{t("backToPairing")}</Link>
      </p>
      <h1>{plan.title}</h1>
      <p className="row">
        <PlanStatusBadge status={plan.status} />
        {plan.base ? (
          <span>
            {t("view.adaptationOf")} <Link to={`/lesson-plans/${plan.base.id}`}>{plan.base.title}</Link> ·{" "}
            <Link to={`/lesson-plans/${plan.id}/diff`}>{t("view.showChanges")}</Link>
          </span>
        ) : null}
      </p>
      <FormError id="plan-action-error" errors={formErrors} />
      <PlanFacts {...plan} />
      <nav className="row" aria-label={t("view.actions")}>
        {canEdit ? (
          <>
            <Link className="button" to={`/lesson-plans/${plan.id}/edit`}>
              {t("view.edit")}
            </Link>
            <Link className="button button--secondary" to={`/lesson-plans/${plan.id}/details`}>
              {t("view.editDetails")}
            </Link>
          </>
        ) : (
          <Link className="button button--secondary" to={`/lesson-plans/${plan.id}/edit`}>
            {t("view.openLive")}
          </Link>
        )}
        <a className="button button--secondary" href={`/lesson-plans/${plan.id}/export/html`}>
          {t("view.exportHtml")}
        </a>
        <a className="button button--secondary" href={`/lesson-plans/${plan.id}/export/docx`} download>
          {t("view.exportDocx")}
        </a>
      </nav>
      {actions.length > 0 || canAdapt ? (
        <div className="row">
          {actions.length > 0 ? (
            <Form method="post" className="row">
              <input type="hidden" name="intent" value="transition" />
              <input type="hidden" name="expectedVersion" value={plan.version} />
              {actions.map((a) => (
                <button key={a} type="submit" name="action" value={a} className={a === "return" ? "button button--secondary" : "button"}>
                  {t(`actions.${a}`)}
                </button>
              ))}
            </Form>
          ) : null}
          {canAdapt ? (
            <Form method="post">
              <input type="hidden" name="intent" value="adapt" />
              <button type="submit" className="button button--secondary">
                {t("actions.adapt")}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      <article className="card plan-content" lang={plan.language} aria-label={t("view.content")}>
        {html ? <div dangerouslySetInnerHTML={{ __html: html }} /> : <p className="muted">{t("view.empty")}</p>}
        <p className="muted">{t("view.lastSaved", { time: time.format(new Date(plan.contentUpdatedAt)) })}</p>
      </article>
      <section className="card" aria-labelledby="versions">
        <h2 id="versions">{t("versions.title")}</h2>
        {canEdit ? (
          <Form method="post" className="row">
            <input type="hidden" name="intent" value="saveVersion" />
            <label htmlFor="version-name">{t("versions.name")}</label>
            <input id="version-name" name="name" type="text" maxLength={100} required autoComplete="off" />
            <button type="submit" className="button">
              {t("versions.save")}
            </button>
          </Form>
        ) : null}
        {versions.length === 0 ? (
          <p className="muted">{t("versions.none")}</p>
        ) : (
          <ul className="plain-list">
            {versions.map((v) => (
              <li key={v.id}>
                <Link to={`/lesson-plans/${plan.id}/versions/${v.id}`}>{v.name}</Link>{" "}
                <span className="muted">
                  {v.authorName ?? t("unknownPerson")} ·{" "}
                  <time dateTime={new Date(v.createdAt).toISOString()}>{time.format(new Date(v.createdAt))}</time>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <PlanClasses classes={classes} locale={locale} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

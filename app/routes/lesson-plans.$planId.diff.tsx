import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { diffPlans } from "~/lesson-plans/diff";
import { PlanDiffView } from "~/lesson-plans/plan-diff";
import { getPlan } from "~/lesson-plans/queries.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "lessonPlans:diff.title", data?.plan.title);

/** What an adaptation (复备) changed against the final plan it was adapted from. */
export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const planId = requireUuidParam(params.planId);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const plan = await getPlan(tx, planId);
    if (!plan?.base) return null;
    const base = await getPlan(tx, plan.base.id);
    return base ? { plan, base } : null;
  });
  if (!result) throw new Response("Not found", { status: 404 });
  const { plan, base } = result;
  return data(
    {
      plan: { id: plan.id, title: plan.title, leadAuthorName: plan.leadAuthorName },
      base: { id: base.id, title: base.title, leadAuthorName: base.leadAuthorName },
      diff: diffPlans(base.contentJson, context.tongke.collab.peek(planId)?.contentJson ?? plan.contentJson),
    },
    { headers },
  );
};

export default function AdaptationDiff() {
  const { t } = useTranslation("lessonPlans");
  const { plan, base, diff } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to={`/lesson-plans/${plan.id}`}>{t("backToPlan")}</Link>
      </p>
      <h1>{t("diff.heading", { title: plan.title })}</h1>
      <p className="muted">
        {t("diff.against", { name: base.leadAuthorName ?? t("unknownPerson") })} <Link to={`/lesson-plans/${base.id}`}>{base.title}</Link>
      </p>
      <PlanDiffView diff={diff} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

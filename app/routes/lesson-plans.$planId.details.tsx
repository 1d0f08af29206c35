import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { redirectWithToast } from "~/components/toast.server";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getLocale } from "~/i18n/i18next.server";
import { planRefusal, updatePlan } from "~/lesson-plans/writes.server";
import { authorsOf } from "~/lesson-plans/authors.server";
import { PlanForm } from "~/lesson-plans/plan-form";
import { getPlan } from "~/lesson-plans/queries.server";
import { UpdatePlanSchema } from "~/lesson-plans/schemas";
import { getPairing } from "~/pairings/queries.server";
import { readFormData } from "~/components/refusal.server";
import { formMessage, parseForm } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "lessonPlans:details.title", data?.plan.title);

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const planId = requireUuidParam(params.planId);
  const locale = await getLocale(request);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const plan = await getPlan(tx, planId);
    if (!plan) return null;
    const pairing = await getPairing(tx, plan.pairingId);
    return { plan, authors: pairing ? authorsOf(pairing, locale) : [] };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  const { plan, authors } = result;
  return data(
    {
      plan: { id: plan.id, title: plan.title, access: plan.access, isLead: plan.isLead },
      authors,
      defaultValue: {
        title: plan.title,
        subject: plan.subject,
        grade: String(plan.grade),
        textbookUnit: plan.textbookUnit ?? "",
        periods: String(plan.periods),
        leadAuthorId: plan.leadAuthorId,
        coauthorIds: plan.coauthors.map((c) => c.id),
        expectedVersion: String(plan.version),
      },
    },
    { headers },
  );
};

export const action = async ({ request, context, params }: ActionFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const planId = requireUuidParam(params.planId);
  const submission = parseForm(await readFormData(request), { schema: UpdatePlanSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers });
  try {
    await withUserTransaction(context.tongke.database, claims, (tx) => updatePlan(tx, planId, submission.value));
  } catch (error) {
    const key = planRefusal(error);
    return data(submission.reply({ formErrors: formMessage(key) }), { status: key === "lessonPlans:errors.conflict" ? 409 : 400, headers });
  }
  throw await redirectWithToast(`/lesson-plans/${planId}`, { key: "lessonPlans:done.detailsSaved" }, headers);
};

export default function PlanDetails() {
  const { t } = useTranslation("lessonPlans");
  const { plan, authors, defaultValue } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <p>
        <Link to={`/lesson-plans/${plan.id}`}>{t("backToPlan")}</Link>
      </p>
      <h1>{t("details.title")}</h1>
      {plan.access === "edit" ? (
        <section className="card">
          <PlanForm mode="update" authors={authors} defaultValue={defaultValue} lastResult={lastResult} leadLocked={!plan.isLead} />
        </section>
      ) : (
        <p className="notice">{t("details.readOnly")}</p>
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

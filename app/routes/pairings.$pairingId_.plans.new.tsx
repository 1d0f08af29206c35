import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getLocale } from "~/i18n/i18next.server";
import { createPlan, planRefusal } from "~/lesson-plans/writes.server";
import { authorsOf } from "~/lesson-plans/authors.server";
import { PlanForm } from "~/lesson-plans/plan-form";
import { CreatePlanSchema } from "~/lesson-plans/schemas";
import { getPairing } from "~/pairings/queries.server";
import { readFormData } from "~/components/refusal.server";
import { formMessage, parseForm } from "~/components/form";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "lessonPlans:new.title");

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const pairingId = requireUuidParam(params.pairingId);
  const locale = await getLocale(request);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const pairing = await getPairing(tx, pairingId);
    if (!pairing) return null;
    return { pairingId, status: pairing.status, authors: authorsOf(pairing, locale) };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  const isAuthor = result.authors.some((a) => a.id === claims.sub);
  return data({ ...result, me: claims.sub, canCreate: isAuthor && result.status === "active", locale }, { headers });
};

export const action = async ({ request, context, params }: ActionFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const pairingId = requireUuidParam(params.pairingId);
  const submission = parseForm(await readFormData(request), { schema: CreatePlanSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers });
  let planId: string;
  try {
    planId = await withUserTransaction(context.tongke.database, claims, (tx) =>
      createPlan(tx, { pairingId, ...submission.value }, context.tongke.collab.describe),
    );
  } catch (error) {
    return data(submission.reply({ formErrors: formMessage(planRefusal(error)) }), { status: 400, headers });
  }
  throw redirect(`/lesson-plans/${planId}/edit`, { headers });
};

export default function NewPlan() {
  const { t } = useTranslation("lessonPlans");
  const { pairingId, authors, me, canCreate, locale } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <p>
        <Link to={`/pairings/${pairingId}`}>{t("backToPairing")}</Link>
      </p>
      <h1>{t("new.title")}</h1>
      {canCreate ? (
        <>
          <p className="muted">{t("new.intro")}</p>
          <section className="card">
            <PlanForm
              mode="create"
              authors={authors}
              lastResult={lastResult}
              defaultValue={{ leadAuthorId: me, periods: "1", language: locale, coauthorIds: [] }}
            />
          </section>
        </>
      ) : (
        <p className="notice">{t("new.notAllowed")}</p>
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

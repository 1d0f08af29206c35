import { lazy, Suspense, useId } from "react";
import { useTranslation } from "react-i18next";

const LivePlan = lazy(() => import("./live-plan.client"));

/** Until the live copy's code has loaded, the plan as the server rendered it. */
function StaticPlan({ html }: { html: string }) {
  const { t } = useTranslation("classroom");
  return (
    <>
      <p className="muted small plan-state" role="status">
        {t("plan.connecting")}
      </p>
      <div className="plan-body" tabIndex={0} role="region" aria-label={t("plan.content")}>
        <div className="plan-content" dangerouslySetInnerHTML={{ __html: html }} />
      </div>
    </>
  );
}

export function PlanPanel({ plan }: { plan: { id: string; title: string; html: string } | null }) {
  const { t } = useTranslation("classroom");
  const id = useId();
  return (
    <section className="classroom-panel plan-panel" aria-labelledby={`${id}-title`}>
      <div className="panel-heading">
        <h2 id={`${id}-title`}>{t("plan.title")}</h2>
        {plan ? (
          <a href={`/lesson-plans/${plan.id}`} target="_blank" rel="noopener noreferrer">
            {t("plan.open")}
            <span className="visually-hidden"> {t("plan.newTab")}</span>
          </a>
        ) : null}
      </div>
      {plan ? (
        <>
          <p className="plan-title">{plan.title}</p>
          <Suspense fallback={<StaticPlan html={plan.html} />}>
            <LivePlan planId={plan.id} html={plan.html} />
          </Suspense>
        </>
      ) : (
        <p className="muted">{t("plan.none")}</p>
      )}
    </section>
  );
}

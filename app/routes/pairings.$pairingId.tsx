import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { pageTitle, rootLocale } from "~/components/page-title";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { PlanList } from "~/lesson-plans/plan-list";
import { listPlans } from "~/lesson-plans/queries.server";
import { listSessions } from "~/live/queries.server";
import { UpcomingSessions } from "~/live/upcoming";
import { pickName } from "~/i18n/localized-name";
import { transitionPairing } from "~/pairings/actions.server";
import { availableActions } from "~/pairings/available-actions";
import { PairingTitle, StatusBadge } from "~/pairings/pairing-names";
import { getPairing, goalNotes, listPairingEvents, myStanding } from "~/pairings/queries.server";
import { PairingSide, PairingTimeline, TransitionForm } from "~/pairings/workspace";
import { requireUuidParam } from "~/components/route-params";
import type { loader as rootLoader } from "~/root";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const locale = rootLocale(matches);
  const title = data ? `${pickName(data.pairing.schoolA, locale).text} ⇄ ${pickName(data.pairing.schoolB, locale).text}` : undefined;
  return pageTitle(matches, "pairings:workspace.title", title);
};

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const id = requireUuidParam(params.pairingId);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const pairing = await getPairing(tx, id);
    if (!pairing) return null;
    const standing = await myStanding(
      tx,
      claims.sub,
      { a: pairing.schoolA.id, b: pairing.schoolB.id },
      { a: pairing.schoolA.region.id, b: pairing.schoolB.region.id },
    );
    const { plans } = await listPlans(tx, id, {}, { limit: 5 });
    const sessions = await listSessions(tx, { from: new Date(), pairingId: id, limit: 5 });
    const timeline = await listPairingEvents(tx, id, { before: new URL(request.url).searchParams.get("events") });
    const notes = await goalNotes(tx, id);
    const canWritePlans = pairing.status === "active" && pairing.people.some((p) => p.userId === claims.sub);
    return { pairing, actions: availableActions(pairing.status, standing), plans, sessions, timeline, notes, canWritePlans };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  return data(result, { headers });
};

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  transitionPairing(request, context, requireUuidParam(params.pairingId));

export default function PairingWorkspace() {
  const { t } = useTranslation("pairings");
  const { pairing, actions, plans, sessions, timeline, notes, canWritePlans } = useLoaderData<typeof loader>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  return (
    <div className="page">
      <h1>
        <PairingTitle a={pairing.schoolA} b={pairing.schoolB} locale={locale} />
      </h1>
      <p>
        <StatusBadge status={pairing.status} />
      </p>
      {pairing.decisionReason ? (
        <p>
          {t("workspace.decisionReason")}: {pairing.decisionReason}
        </p>
      ) : null}
      {actions.length > 0 ? <TransitionForm actions={actions} version={pairing.version} /> : null}
      <div className="grid-2">
        <PairingSide school={pairing.schoolA} people={pairing.people} locale={locale} label={t("workspace.sideA")} />
        <PairingSide school={pairing.schoolB} people={pairing.people} locale={locale} label={t("workspace.sideB")} />
      </div>
      <section className="card" aria-labelledby="goals">
        <h2 id="goals">{t("workspace.goals")}</h2>
        {pairing.goals.length === 0 ? (
          <p className="muted">{t("workspace.noGoals")}</p>
        ) : (
          <ul className="plain-list">
            {pairing.goals.map((g) => (
              <li key={g.id}>
                <strong>{t("termName", { from: g.term.slice(0, 4), to: g.term.slice(5, 9), half: t(`half.${g.term.slice(10)}`) })}</strong>
                {" · "}
                {t("workspace.jointLessons", { count: g.jointLessonsPlanned })}
                {" · "}
                {g.subjects.map((s) => t(`subjects.${s}`)).join(t("listSeparator"))}
                {notes[g.term] ? <p className="goal-note">{notes[g.term]}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="plans">
          <h2 id="plans">{t("workspace.lessonPlans")}</h2>
          <PlanList plans={plans} />
          <p className="row">
            <Link to={`/pairings/${pairing.id}/plans`}>{t("lessonPlans:list.all")}</Link>
            {canWritePlans ? (
              <Link className="button" to={`/pairings/${pairing.id}/plans/new`}>
                {t("lessonPlans:list.new")}
              </Link>
            ) : null}
          </p>
        </section>
        <section className="card" aria-labelledby="classes">
          <h2 id="classes">{t("workspace.liveClasses")}</h2>
          <UpcomingSessions sessions={sessions} locale={locale} />
          <p className="row">
            <Link to="/live">{t("live:week.link")}</Link>
            {canWritePlans ? (
              <Link className="button" to={`/pairings/${pairing.id}/sessions/new`}>
                {t("live:new.link")}
              </Link>
            ) : null}
          </p>
        </section>
      </div>
      <PairingTimeline events={timeline.events} older={timeline.older} paged={timeline.paged} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

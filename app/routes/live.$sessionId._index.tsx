import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { redirectWithToast } from "~/components/toast.server";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import { OBSERVATION_CRITERIA } from "~/db/enums";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getLocale } from "~/i18n/i18next.server";
import { LocalizedName } from "~/i18n/localized-name";
import { cancelSession, liveRefusal, recordHeadcount, rescheduleSession, saveReflection, submitObservation } from "~/live/writes.server";
import { getSession } from "~/live/queries.server";
import { SessionActionSchema } from "~/live/schemas";
import { ChangeForms, ChangeHistory, HeadcountForm, ObservationForm, ReflectionForm } from "~/live/session-forms";
import { LiveStatusBadge } from "~/live/status-badge";
import { formatSchoolDateTime, formatSchoolTimeRange, toSchoolLocalInput } from "~/live/time";
import { readFormData } from "~/components/refusal.server";
import { parseForm } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "live:session.title", data?.session.title);

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const sessionId = requireUuidParam(params.sessionId);
  const session = await withUserTransaction(context.tongke.database, claims, (tx) => getSession(tx, sessionId));
  if (!session) throw new Response("Not found", { status: 404 });
  const locale = await getLocale(request);
  return data({ session, me: claims.sub, locale }, { headers });
};

export const action = async ({ request, context, params }: ActionFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const sessionId = requireUuidParam(params.sessionId);
  const locale = await getLocale(request);
  const submission = parseForm(await readFormData(request), { schema: SessionActionSchema });
  const intent = submission.payload.intent === undefined ? "" : String(submission.payload.intent);
  if (submission.status !== "success") return data({ intent, reply: submission.reply() }, { status: 400, headers });
  const value = submission.value;
  try {
    await withUserTransaction(context.tongke.database, claims, async (tx) => {
      switch (value.intent) {
        case "reschedule":
          return rescheduleSession(tx, sessionId, value);
        case "cancel":
          return cancelSession(tx, sessionId, value);
        case "headcount":
          return recordHeadcount(tx, sessionId, value.classroomId, value.headcount);
        case "observation":
          return submitObservation(tx, sessionId, value.rubric, value.notes);
        case "reflection":
          return saveReflection(tx, sessionId, value.body);
      }
    });
  } catch (error) {
    return data({ intent, reply: submission.reply({ formErrors: liveRefusal(error, locale) }) }, { status: 400, headers });
  }
  throw await redirectWithToast(`/live/${sessionId}`, { key: `live:session.done.${value.intent}` }, headers);
};

export default function LiveSessionPage() {
  const { t } = useTranslation("live");
  const { session, me, locale } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const startsAt = new Date(session.startsAt);
  const endsAt = new Date(session.endsAt);
  const took = session.status === "live" || session.status === "ended";
  const joinable = session.role !== null && (session.status === "scheduled" || session.status === "live");
  const myClassrooms = [
    ...(session.role === "main" ? [{ id: session.mainClassroomId, name: session.mainClassroom }] : []),
    ...(session.role === "receiving"
      ? session.receiving.filter((r) => r.teacherId === me).map((r) => ({ id: r.classroomId, name: r.classroom }))
      : []),
  ];
  const myObservation = session.observations.find((o) => o.observerId === me) ?? null;
  const myReflection = session.reflections.find((r) => r.authorId === me)?.body ?? null;
  const duration = Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);

  return (
    <div className="page">
      <p>
        <Link to={`/pairings/${session.pairingId}`}>{t("backToPairing")}</Link>
      </p>
      <header className="page-header">
        <h1>{session.title}</h1>
        <LiveStatusBadge status={session.status} />
      </header>
      <section className="card" aria-labelledby="facts-heading">
        <h2 id="facts-heading" className="visually-hidden">
          {t("session.facts")}
        </h2>
        <dl className="facts">
          <div>
            <dt>{t("session.time")}</dt>
            <dd>
              <time dateTime={startsAt.toISOString()}>
                {formatSchoolDateTime(startsAt, locale, "weekdayDate")} {formatSchoolTimeRange(startsAt, endsAt, locale)}
              </time>
            </dd>
          </div>
          <div>
            <dt>{t("session.main")}</dt>
            <dd>
              <LocalizedName names={session.mainSchool} locale={locale} /> · {session.mainClassroom} · {session.mainTeacherName}
            </dd>
          </div>
          <div>
            <dt>{t("session.receiving")}</dt>
            <dd>
              <ul className="plain-list">
                {session.receiving.map((r) => (
                  <li key={r.classroomId}>
                    <LocalizedName names={r.school} locale={locale} /> · {r.classroom} · {r.teacherName}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <div>
            <dt>{t("session.lessonPlan")}</dt>
            <dd>
              {session.lessonPlan ? (
                <Link to={`/lesson-plans/${session.lessonPlan.id}`}>{session.lessonPlan.title}</Link>
              ) : (
                t("form.noPlan")
              )}
            </dd>
          </div>
          {session.cancelReason ? (
            <div>
              <dt>{t("change.reason")}</dt>
              <dd>{t(`reasons.${session.cancelReason}`)}</dd>
            </div>
          ) : null}
        </dl>
        <p className="actions">
          {joinable ? (
            <Link className="button" to={`/live/${session.id}/room`}>
              {t("session.enter")}
            </Link>
          ) : null}
          <a className="button button--secondary" href={`/live/${session.id}/calendar.ics`} download>
            {t("session.ics")}
          </a>
          <Link className="button button--secondary" to="/live">
            {t("session.week")}
          </Link>
        </p>
      </section>

      {session.canManage && session.status === "scheduled" ? (
        <ChangeForms
          result={result}
          canMove={session.pairingActive}
          defaults={{ startsAt: toSchoolLocalInput(startsAt), durationMinutes: String(duration) }}
        />
      ) : null}
      <ChangeHistory changes={session.changes} locale={locale} />

      {took ? (
        <section className="card" aria-labelledby="after-heading">
          <h2 id="after-heading">{t("after.heading")}</h2>
          <h3>{t("after.attendance")}</h3>
          {session.attendance.length === 0 ? (
            <p className="muted">{t("after.noAttendance")}</p>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t("after.attendance")}>
              <table className="data-table">
                <caption className="visually-hidden">{t("after.attendance")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("after.person")}</th>
                    <th scope="col">{t("after.role")}</th>
                    <th scope="col">{t("after.classroom")}</th>
                    <th scope="col" className="num">
                      {t("after.minutes")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {session.attendance.map((a) => (
                    <tr key={a.identity}>
                      <td>{a.name ?? a.identity}</td>
                      <td>{a.role ? t(`roles.${a.role}`) : ""}</td>
                      <td>{a.classroom ?? ""}</td>
                      <td className="num">{a.minutes}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>{t("after.headcounts")}</h3>
          {session.headcounts.length === 0 ? (
            <p className="muted">{t("after.noHeadcounts")}</p>
          ) : (
            <ul className="plain-list">
              {session.headcounts.map((h) => (
                <li key={h.classroomId}>{t("after.headcountEntry", { classroom: h.classroom, count: h.headcount })}</li>
              ))}
            </ul>
          )}
          {myClassrooms.map((c) => (
            <HeadcountForm
              key={c.id}
              classroom={c}
              current={session.headcounts.find((h) => h.classroomId === c.id)?.headcount ?? null}
              result={result}
            />
          ))}

          <h3>{t("after.observations")}</h3>
          {session.observations.length === 0 ? <p className="muted">{t("after.noObservations")}</p> : null}
          {session.observations.map((o) => (
            <article key={o.observerId} className="observation">
              <h4>{o.observerName}</h4>
              <dl className="facts">
                {OBSERVATION_CRITERIA.map((c) => (
                  <div key={c}>
                    <dt>{t(`rubric.${c}`)}</dt>
                    <dd>{t("rubric.scoreOf", { score: o.rubric[c] })}</dd>
                  </div>
                ))}
              </dl>
              {o.notes ? <p className="prewrap">{o.notes}</p> : null}
            </article>
          ))}
          {session.role === "observer" ? <ObservationForm current={myObservation} result={result} /> : null}

          <h3>{t("after.reflections")}</h3>
          {session.reflections.length === 0 ? <p className="muted">{t("after.noReflections")}</p> : null}
          {session.reflections.map((r) => (
            <article key={r.authorId} className="reflection">
              <h4>{r.authorName}</h4>
              <p className="prewrap">{r.body}</p>
            </article>
          ))}
          {session.role === "main" || session.role === "receiving" ? <ReflectionForm current={myReflection} result={result} /> : null}
        </section>
      ) : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

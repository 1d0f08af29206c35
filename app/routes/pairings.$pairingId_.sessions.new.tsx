import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { redirectWithToast } from "~/components/toast.server";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getLocale } from "~/i18n/i18next.server";
import { pickName } from "~/i18n/localized-name";
import { liveRefusal, scheduleSessions } from "~/live/writes.server";
import { scheduleOptions } from "~/live/queries.server";
import { ScheduleSessionSchema } from "~/live/schemas";
import { SessionForm } from "~/live/session-form";
import { getPairing } from "~/pairings/queries.server";
import { readFormData } from "~/components/refusal.server";
import { formMessage, parseForm } from "~/components/form";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "live:new.title");

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const pairingId = requireUuidParam(params.pairingId);
  const locale = await getLocale(request);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const pairing = await getPairing(tx, pairingId);
    if (!pairing) return null;
    return { pairing, options: await scheduleOptions(tx, pairingId) };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  const { pairing, options } = result;
  const isMember = pairing.people.some((p) => p.userId === claims.sub);
  const schools = [pairing.schoolA, pairing.schoolB].map((s) => ({ id: s.id, name: pickName(s, locale).text }));
  const mySchool = pairing.people.find((p) => p.userId === claims.sub)?.schoolId;
  return data(
    {
      pairingId,
      canSchedule: isMember && pairing.status === "active",
      schools,
      options,
      defaults: {
        mainTeacherId: isMember ? claims.sub : "",
        mainClassroomId: options.classrooms.find((c) => c.schoolId === mySchool)?.id ?? "",
        durationMinutes: "45",
        receiving: [{ classroomId: "", teacherId: "" }],
      },
    },
    { headers },
  );
};

export const action = async ({ request, context, params }: ActionFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const pairingId = requireUuidParam(params.pairingId);
  const locale = await getLocale(request);
  const submission = parseForm(await readFormData(request), { schema: ScheduleSessionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers });
  let ids: string[];
  try {
    ids = await withUserTransaction(context.tongke.database, claims, (tx) => scheduleSessions(tx, pairingId, submission.value));
  } catch (error) {
    if (error instanceof RangeError) {
      return data(submission.reply({ fieldErrors: { repeatUntil: formMessage("live:errors.tooManyOccurrences") } }), {
        status: 400,
        headers,
      });
    }
    return data(submission.reply({ formErrors: liveRefusal(error, locale) }), { status: 400, headers });
  }
  throw await redirectWithToast(`/live/${ids[0]}`, { key: "live:session.scheduled", values: { count: ids.length } }, headers);
};

export default function ScheduleSession() {
  const { t } = useTranslation("live");
  const { pairingId, canSchedule, schools, options, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <p>
        <Link to={`/pairings/${pairingId}`}>{t("backToPairing")}</Link>
      </p>
      <h1>{t("new.title")}</h1>
      {canSchedule ? (
        <>
          <p className="muted">{t("new.intro")}</p>
          {options.classrooms.length === 0 ? <p className="notice">{t("new.noClassrooms")}</p> : null}
          <section className="card">
            <SessionForm schools={schools} {...options} defaultValue={defaults} lastResult={lastResult} />
          </section>
        </>
      ) : (
        <p className="notice">{t("new.notAllowed")}</p>
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getLocale } from "~/i18n/i18next.server";
import { displayNameOf, getPlan } from "~/lesson-plans/queries.server";
import { renderLabels, renderPlanHtml } from "~/lesson-plans/render.server";
import { getSessionSummary, listMessages } from "~/live/queries.server";

// livekit-client, tiptap and Yjs load only on this page, after it has rendered.
const Classroom = lazy(() => import("~/live/classroom.client"));

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "live:room.title", data?.session.title);

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const sessionId = requireUuidParam(params.sessionId);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const session = await getSessionSummary(tx, sessionId);
    if (!session) return null;
    const [plan, chat, myName] = await Promise.all([
      session.lessonPlan ? getPlan(tx, session.lessonPlan.id) : null,
      session.role ? listMessages(tx, sessionId) : [],
      displayNameOf(tx, claims.sub),
    ]);
    return { session, plan, chat, myName };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  const { session, plan, chat, myName } = result;
  const locale = await getLocale(request);
  return data(
    {
      session: {
        id: session.id,
        title: session.title,
        status: session.status,
        role: session.role,
        mainTeacherId: session.mainTeacherId,
        receivingTeacherIds: session.receiving.map((r) => r.teacherId),
      },
      // The plan as it is now, shown until the live copy has synced (and if it cannot).
      plan: plan
        ? {
            id: plan.id,
            title: plan.title,
            html: renderPlanHtml(context.tongke.collab.peek(plan.id)?.contentJson ?? plan.contentJson, await renderLabels(request)),
          }
        : null,
      chat,
      me: { id: claims.sub, name: myName ?? claims.email ?? "" },
      locale,
    },
    { headers },
  );
};

export default function LiveRoom() {
  const { t } = useTranslation("live");
  const { session, plan, chat, me, locale } = useLoaderData<typeof loader>();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const joinable = session.role !== null && (session.status === "scheduled" || session.status === "live");
  const loading = (
    <p className="muted" aria-busy="true">
      {t("room.loading")}
    </p>
  );
  return (
    <div className="page page--wide">
      <p>
        <Link to={`/live/${session.id}`}>{t("room.back")}</Link>
      </p>
      <h1>{session.title}</h1>
      {!joinable ? (
        <p className="notice">{t(session.role ? "room.notJoinable" : "room.notAllowed")}</p>
      ) : mounted ? (
        <Suspense fallback={loading}>
          <Classroom
            sessionId={session.id}
            title={session.title}
            role={session.role!}
            user={me}
            mainTeacherId={session.mainTeacherId}
            receivingTeacherIds={session.receivingTeacherIds}
            canModerate={session.role === "main"}
            plan={plan}
            chat={chat}
            lang={locale}
          />
        </Suspense>
      ) : (
        loading
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

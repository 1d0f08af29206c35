import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { earlyEditorScript } from "~/collab/early-socket";
import { useNonce } from "~/components/nonce";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { PlanFacts, PlanStatusBadge } from "~/lesson-plans/plan-meta";
import { displayNameOf, getPlan } from "~/lesson-plans/queries.server";
import { renderLabels, renderPlanHtml } from "~/lesson-plans/render.server";

// tiptap, Yjs and the provider load only on this page: their download starts as soon as this
// route's module runs in the browser, before hydration, and the editor mounts once it is in.
const loadEditor = () => import("~/lesson-plans/editor.client");
const editorChunk = typeof document === "undefined" ? null : loadEditor();
const PlanEditor = lazy(() => editorChunk ?? loadEditor());

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "editor:title", data?.plan.title);

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const planId = requireUuidParam(params.planId);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const plan = await getPlan(tx, planId);
    if (!plan) return null;
    const myName = (await displayNameOf(tx, claims.sub)) ?? claims.email ?? "";
    return { plan, myName };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  const { plan, myName } = result;
  return data(
    {
      plan: {
        id: plan.id,
        title: plan.title,
        status: plan.status,
        access: plan.access,
        language: plan.language,
        subject: plan.subject,
        grade: plan.grade,
        textbookUnit: plan.textbookUnit,
        periods: plan.periods,
        leadAuthorName: plan.leadAuthorName,
        coauthors: plan.coauthors,
      },
      // Shown until the editor has loaded, and kept readable if it cannot connect.
      html: renderPlanHtml(context.tongke.collab.peek(planId)?.contentJson ?? plan.contentJson, await renderLabels(request)),
      me: { id: claims.sub, name: myName },
      // The editor's chunks, fetched while the page's own scripts download instead of after them.
      editorChunks: await context.tongke.lazyChunks("routes/lesson-plans.$planId.edit"),
    },
    { headers },
  );
};

export default function EditPlan() {
  const { t } = useTranslation("editor");
  const { plan, html, me, editorChunks } = useLoaderData<typeof loader>();
  const nonce = useNonce();
  const readOnly = plan.access !== "edit";
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const fallback = (
    <article className="card plan-content" lang={plan.language} aria-busy="true">
      <p className="muted">{t("loading")}</p>
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </article>
  );
  return (
    <div className="page">
      {/* Fetches the editor's chunks and opens its connection while the page's scripts download (see early-socket.ts). */}
      <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: earlyEditorScript(editorChunks) }} />
      <p>
        <Link to={`/lesson-plans/${plan.id}`}>{t("backToPlan")}</Link>
      </p>
      <h1>{plan.title}</h1>
      <p className="row">
        <PlanStatusBadge status={plan.status} />
      </p>
      <PlanFacts {...plan} />
      {mounted ? (
        <Suspense fallback={fallback}>
          <PlanEditor planId={plan.id} readOnly={readOnly} user={me} lang={plan.language} />
        </Suspense>
      ) : (
        fallback
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PlainInput, PlainSelect } from "~/components/plain-fields";
import { requireUser } from "~/auth/session.server";
import { KeysetPager } from "~/components/keyset-pager";
import { pageTitle } from "~/components/page-title";
import { requireUuidParam } from "~/components/route-params";
import { GRADES, LESSON_PLAN_STATUSES, SUBJECTS } from "~/db/enums";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getLocale } from "~/i18n/i18next.server";
import { authorsOf } from "~/lesson-plans/authors.server";
import { PlanList } from "~/lesson-plans/plan-list";
import { listPlans } from "~/lesson-plans/queries.server";
import { PlanFiltersSchema } from "~/lesson-plans/schemas";
import { getPairing } from "~/pairings/queries.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "lessonPlans:list.title");

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const pairingId = requireUuidParam(params.pairingId);
  const search = new URL(request.url).searchParams;
  const filters = PlanFiltersSchema.parse(Object.fromEntries(search));
  const locale = await getLocale(request);
  const result = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const pairing = await getPairing(tx, pairingId);
    if (!pairing) return null;
    const authors = authorsOf(pairing, locale);
    const { plans, older, paged, total } = await listPlans(tx, pairingId, filters, { before: search.get("before") });
    return { plans, older, paged, total, authors, canCreate: pairing.status === "active" && authors.some((a) => a.id === claims.sub) };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  return data({ ...result, pairingId, filters }, { headers });
};

export default function PairingPlans() {
  const { t } = useTranslation("lessonPlans");
  const { plans, older, total, paged, authors, canCreate, pairingId, filters } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to={`/pairings/${pairingId}`}>{t("backToPairing")}</Link>
      </p>
      <h1>{t("list.title")}</h1>
      {canCreate ? (
        <p>
          <Link className="button" to={`/pairings/${pairingId}/plans/new`}>
            {t("list.new")}
          </Link>
        </p>
      ) : null}
      <Form method="get" className="filters" role="search" aria-label={t("list.filters")}>
        <PlainInput id="q" label={t("list.search")} name="q" type="search" defaultValue={filters.q ?? ""} maxLength={100} />
        <PlainSelect id="subject" label={t("form.subject")} placeholder={t("list.any")} name="subject" defaultValue={filters.subject ?? ""}>
          {SUBJECTS.map((s) => (
            <option key={s} value={s}>
              {t(`pairings:subjects.${s}`)}
            </option>
          ))}
        </PlainSelect>
        <PlainSelect id="grade" label={t("form.grade")} placeholder={t("list.any")} name="grade" defaultValue={filters.grade ?? ""}>
          {GRADES.map((g) => (
            <option key={g} value={g}>
              {t(`grades.${g}`)}
            </option>
          ))}
        </PlainSelect>
        <PlainSelect id="status" label={t("list.status")} placeholder={t("list.any")} name="status" defaultValue={filters.status ?? ""}>
          {LESSON_PLAN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </PlainSelect>
        <PlainSelect id="lead" label={t("form.leadAuthor")} placeholder={t("list.any")} name="lead" defaultValue={filters.lead ?? ""}>
          {authors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName} · {a.school}
            </option>
          ))}
        </PlainSelect>
        <button type="submit" className="button">
          {t("list.apply")}
        </button>
      </Form>
      <section className="card" aria-labelledby="results">
        <h2 id="results">{t("list.results", { count: total })}</h2>
        <PlanList plans={plans} />
        <KeysetPager
          older={older}
          paged={paged}
          param="before"
          anchor="results"
          labels={{ newest: t("list.newest"), older: t("list.older") }}
        />
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { KeysetPager } from "~/components/keyset-pager";
import { pageTitle } from "~/components/page-title";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { LocalizedName, type Names } from "~/i18n/localized-name";
import { PairingTitle, StatusBadge } from "~/pairings/pairing-names";
import { listPairings, schoolsIMayProposeFrom } from "~/pairings/queries.server";
import type { loader as rootLoader } from "~/root";
import { schoolDateFormat } from "~/live/time";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "pairings:title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const { page, proposable } = await withUserTransaction(context.tongke.database, claims, async (tx) => ({
    page: await listPairings(tx, { before: new URL(request.url).searchParams.get("before") }),
    proposable: (await schoolsIMayProposeFrom(tx, claims.sub)).length > 0,
  }));
  // Only what the cards show: a district's page of pairings stays small on a slow link.
  const names = ({ nameZh, nameBo, nameEn }: Names) => ({ nameZh, nameBo, nameEn });
  const pairings = page.pairings.map((p) => ({
    id: p.id,
    status: p.status,
    proposedAt: p.proposedAt,
    schoolA: { ...names(p.schoolA), region: names(p.schoolA.region) },
    schoolB: { ...names(p.schoolB), region: names(p.schoolB.region) },
  }));
  return data({ pairings, older: page.older, paged: page.paged, proposable }, { headers });
};

export default function Pairings() {
  const { t, i18n } = useTranslation("pairings");
  const { pairings, older, paged, proposable } = useLoaderData<typeof loader>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  const date = schoolDateFormat(i18n.language, "date");
  return (
    <div className="page">
      <div className="page-heading">
        <h1>{t("title")}</h1>
        {proposable ? (
          <Link to="/pairings/new" className="button button--secondary">
            {t("propose")}
          </Link>
        ) : null}
      </div>
      {pairings.length === 0 ? (
        <p className="muted">{t("none")}</p>
      ) : (
        <ul className="school-list">
          {pairings.map((p) => (
            <li key={p.id} className="school-card">
              <Link to={`/pairings/${p.id}`} className="school-card__name">
                <PairingTitle a={p.schoolA} b={p.schoolB} locale={locale} />
              </Link>
              <span className="school-card__meta">
                <LocalizedName names={p.schoolA.region} locale={locale} /> ⇄ <LocalizedName names={p.schoolB.region} locale={locale} />
              </span>
              <span className="school-card__meta">
                <StatusBadge status={p.status} /> · {t("proposedOn", { date: date.format(new Date(p.proposedAt)) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <KeysetPager older={older} paged={paged} param="before" labels={{ newest: t("newest"), older: t("older") }} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

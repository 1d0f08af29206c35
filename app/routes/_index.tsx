import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { LocalizedName } from "~/i18n/localized-name";
import { listSessions } from "~/live/queries.server";
import { UpcomingSessions } from "~/live/upcoming";
import { PairingTitle } from "~/pairings/pairing-names";
import { pairingsAwaitingDecision } from "~/pairings/queries.server";
import { getMyRoles } from "~/people/queries.server";
import type { loader as rootLoader } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "home:title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const { roles, sessions, awaiting } = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const roles = await getMyRoles(tx, claims.sub);
    return {
      roles,
      sessions: await listSessions(tx, { from: new Date(), limit: 5, includeCancelled: false }),
      awaiting: await pairingsAwaitingDecision(
        tx,
        roles.coordinates.map((region) => region.id),
      ),
    };
  });
  return data({ email: claims.email ?? "", ...roles, sessions, awaiting }, { headers });
};

export default function Home() {
  const { t } = useTranslation("home");
  const { profile, email, memberships, coordinates, isPlatformAdmin, sessions, awaiting } = useLoaderData<typeof loader>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  const hasRoles = memberships.length > 0 || coordinates.length > 0 || isPlatformAdmin;
  return (
    <div className="page">
      <h1>{t("greeting", { name: profile?.displayName ?? email })}</h1>
      <p className="muted">{email}</p>
      {awaiting.length > 0 ? (
        <section className="card card--attention" aria-labelledby="awaiting">
          <h2 id="awaiting">{t("awaiting.title", { count: awaiting.length })}</h2>
          <ul className="plain-list">
            {awaiting.map((p) => (
              <li key={p.id}>
                <Link to={`/pairings/${p.id}`}>
                  <PairingTitle a={p.schoolA} b={p.schoolB} locale={locale} />
                </Link>
                <span className="muted"> · {t(`awaiting.${p.status === "requested" ? "requested" : "proposed"}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card" aria-labelledby="my-roles">
        <h2 id="my-roles">{t("rolesTitle")}</h2>
        {hasRoles ? (
          <ul className="role-list">
            {isPlatformAdmin ? <li className="role-list__item">{t("roles.platformAdmin")}</li> : null}
            {coordinates.map((region) => (
              <li key={region.id} className="role-list__item">
                {t("roles.coordinator")} · <LocalizedName names={region} locale={locale} />
              </li>
            ))}
            {memberships.map((m) => (
              <li key={`${m.school.id}-${m.role}`} className="role-list__item">
                <span className="badge">{t(`roles.${m.role}`)}</span>{" "}
                <Link to={`/schools/${m.school.id}`}>
                  <LocalizedName names={m.school} locale={locale} />
                </Link>{" "}
                <span className="muted">
                  (<LocalizedName names={m.region} locale={locale} />)
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("noRoles")}</p>
        )}
      </section>
      {hasRoles ? (
        <section className="card" aria-labelledby="upcoming">
          <h2 id="upcoming">{t("live:upcoming.heading")}</h2>
          <UpcomingSessions sessions={sessions} locale={locale} />
          <p>
            <Link to="/live">{t("live:week.link")}</Link>
          </p>
        </section>
      ) : null}
      <p>
        <Link to="/schools" className="button button--secondary">
          {t("browseDirectory")}
        </Link>
      </p>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

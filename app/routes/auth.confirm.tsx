import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { acceptEmailLink } from "~/auth/invitation.server";
import { pageTitle } from "~/components/page-title";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data?.type === "invite" ? "auth:confirm.title" : "auth:confirm.linkTitle");

export const loader = ({ request, context }: LoaderFunctionArgs) => acceptEmailLink(request, context);

/** Shown only when the link cannot be used, or is the first half of an email change: a valid one redirects. */
export default function ConfirmEmailLink() {
  const { t } = useTranslation("auth");
  const { state, type } = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <section className="card" role={state === "failed" ? "alert" : "status"}>
        <h1>{t(type === "invite" ? "confirm.title" : "confirm.linkTitle")}</h1>
        <p>{t(state === "emailChangeHalf" ? "confirm.emailChangeHalf" : type === "invite" ? "confirm.invalid" : "confirm.invalidLink")}</p>
        <p>
          {type === "recovery" && state === "failed" ? (
            <Link to="/forgot-password">{t("confirm.askAgain")}</Link>
          ) : (
            <Link to="/login">{t("confirm.toSignIn")}</Link>
          )}
        </p>
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

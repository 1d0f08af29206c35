import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { acceptInvitation } from "~/auth/invitation.server";
import { pageTitle } from "~/components/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth:confirm.title");

export const loader = ({ request, context }: LoaderFunctionArgs) => acceptInvitation(request, context);

/** Shown only when the link cannot be used: a valid one redirects to /welcome. */
export default function ConfirmInvitation() {
  const { t } = useTranslation("auth");
  return (
    <div className="page narrow">
      <section className="card" role="alert">
        <h1>{t("confirm.title")}</h1>
        <p>{t("confirm.invalid")}</p>
        <p>
          <Link to="/login">{t("confirm.toSignIn")}</Link>
        </p>
      </section>
    </div>
  );
}

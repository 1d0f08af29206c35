import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { refusalKeyFor } from "./refusal";

/** What went wrong, in the reader's language: the status's title and what to do, and the way home. */
export function ErrorMessage() {
  const error = useRouteError();
  const { t } = useTranslation("errors");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = refusalKeyFor(status);
  return (
    <section className="card error-card" role="alert">
      <h1>{t(`${key}.title`)}</h1>
      <p>{t(`${key}.body`)}</p>
      <p>
        <a href="/">{t("backHome")}</a>
      </p>
    </section>
  );
}

/**
 * Every page's error boundary: the page that failed is replaced by the error, and the app shell
 * around it (header, navigation, language, the reader's session) stays, in the reader's
 * language. Only a failure of the root itself reaches root.tsx's boundary.
 */
export function RouteErrorBoundary() {
  return (
    <div className="page narrow">
      <ErrorMessage />
    </div>
  );
}

import { useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ForgotPasswordSchema } from "~/auth/forgot-password-schema";
import { requestPasswordReset } from "~/auth/password-recovery.server";
import { redirectIfSignedIn } from "~/auth/sign-in.server";
import { Field, FormError, parseForm, ValidatedForm } from "~/components/form";
import { pageTitle } from "~/components/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth:forgot.title");

export const loader = ({ request, context }: LoaderFunctionArgs) => redirectIfSignedIn(request, context);

export const action = ({ request, context }: ActionFunctionArgs) => requestPasswordReset(request, context);

export default function ForgotPassword() {
  const { t } = useTranslation("auth");
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: answer?.result,
    onValidate: ({ formData }) => parseForm(formData, { schema: ForgotPasswordSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page narrow">
      <section className="card">
        <h1>{t("forgot.title")}</h1>
        <p className="muted">{t("forgot.intro")}</p>
        {answer?.sent ? (
          <p className="notice" role="status">
            {t("forgot.sent")}
          </p>
        ) : null}
        <ValidatedForm form={form} method="post" className="stack">
          <FormError id={form.errorId} errors={form.errors} />
          <Field field={fields.email} label={t("signIn.email")} type="email" autoComplete="username" inputMode="email" />
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t("forgot.submitting") : t("forgot.submit")}
          </button>
        </ValidatedForm>
        <p>
          <Link to="/login">{t("forgot.toSignIn")}</Link>
        </p>
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

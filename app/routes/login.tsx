import { useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { signIn, redirectIfSignedIn } from "~/auth/sign-in.server";
import { SignInSchema } from "~/auth/schemas";
import { Field, FormError, parseForm, ValidatedForm } from "~/components/form";
import { pageTitle } from "~/components/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth:signIn.title");

export const loader = ({ request, context }: LoaderFunctionArgs) => redirectIfSignedIn(request, context);

export const action = ({ request, context }: ActionFunctionArgs) => signIn(request, context);

export default function SignIn() {
  const { t } = useTranslation("auth");
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseForm(formData, { schema: SignInSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page narrow">
      <section className="card">
        <h1>{t("signIn.title")}</h1>
        <p className="muted">{t("signIn.intro")}</p>
        {searchParams.get("signedOut") === "everywhere" ? (
          <p className="notice" role="status">
            {t("signIn.signedOutEverywhere")}
          </p>
        ) : null}
        <ValidatedForm form={form} method="post" className="stack">
          <FormError id={form.errorId} errors={form.errors} />
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
          <Field field={fields.email} label={t("signIn.email")} type="email" autoComplete="username" inputMode="email" />
          <Field
            field={fields.password}
            label={t("signIn.password")}
            type="password"
            autoComplete="current-password"
            after={<Link to="/forgot-password">{t("signIn.forgotPassword")}</Link>}
          />
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t("signIn.submitting") : t("signIn.submit")}
          </button>
        </ValidatedForm>
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

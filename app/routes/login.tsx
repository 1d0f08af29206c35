import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { signIn, redirectIfSignedIn } from "~/auth/sign-in.server";
import { SignInSchema } from "~/auth/schemas";
import { FieldError, FormError } from "~/components/form";
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
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInSchema }),
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
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormError id={form.errorId} errors={form.errors} />
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
          <div className="field">
            <label htmlFor={fields.email.id}>{t("signIn.email")}</label>
            <input {...getInputProps(fields.email, { type: "email" })} autoComplete="username" inputMode="email" />
            <FieldError id={fields.email.errorId} errors={fields.email.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.password.id}>{t("signIn.password")}</label>
            <input {...getInputProps(fields.password, { type: "password" })} autoComplete="current-password" />
            <FieldError id={fields.password.errorId} errors={fields.password.errors} />
            <Link to="/forgot-password">{t("signIn.forgotPassword")}</Link>
          </div>
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t("signIn.submitting") : t("signIn.submit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

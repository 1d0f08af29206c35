import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ForgotPasswordSchema } from "~/auth/forgot-password-schema";
import { requestPasswordReset } from "~/auth/password-recovery.server";
import { redirectIfSignedIn } from "~/auth/sign-in.server";
import { FieldError, FormError } from "~/components/form";
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
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
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
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormError id={form.errorId} errors={form.errors} />
          <div className="field">
            <label htmlFor={fields.email.id}>{t("signIn.email")}</label>
            <input {...getInputProps(fields.email, { type: "email" })} autoComplete="username" inputMode="email" />
            <FieldError id={fields.email.errorId} errors={fields.email.errors} />
          </div>
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t("forgot.submitting") : t("forgot.submit")}
          </button>
        </Form>
        <p>
          <Link to="/login">{t("forgot.toSignIn")}</Link>
        </p>
      </section>
    </div>
  );
}

import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { setFirstPassword, welcomeState } from "~/auth/invitation.server";
import { SetPasswordSchema } from "~/auth/schemas";
import { FieldError, FormError } from "~/components/form";
import { pageTitle } from "~/components/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth:welcome.title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { email, needsCurrentPassword, headers } = await welcomeState(request, context);
  return data({ email, needsCurrentPassword }, { headers });
};

export const action = ({ request, context }: ActionFunctionArgs) => setFirstPassword(request, context);

export default function Welcome() {
  const { t } = useTranslation("auth");
  const { email, needsCurrentPassword } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SetPasswordSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page narrow">
      <section className="card">
        <h1>{t("welcome.title")}</h1>
        <p>{t("welcome.intro")}</p>
        {needsCurrentPassword ? <p className="muted">{t("welcome.proofNeeded")}</p> : null}
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormError id={form.errorId} errors={form.errors} />
          <input type="hidden" name="next" value={searchParams.get("next") ?? "/"} />
          <input type="hidden" name="username" autoComplete="username" value={email} />
          {needsCurrentPassword ? (
            <div className="field">
              <label htmlFor={fields.currentPassword.id}>{t("welcome.currentPassword")}</label>
              <input {...getInputProps(fields.currentPassword, { type: "password" })} autoComplete="current-password" required />
              <FieldError id={fields.currentPassword.errorId} errors={fields.currentPassword.errors} />
            </div>
          ) : null}
          {(["newPassword", "confirmPassword"] as const).map((name) => (
            <div className="field" key={name}>
              <label htmlFor={fields[name].id}>{t(`welcome.${name}`)}</label>
              <input {...getInputProps(fields[name], { type: "password" })} autoComplete="new-password" />
              <FieldError id={fields[name].errorId} errors={fields[name].errors} />
            </div>
          ))}
          <button type="submit" className="button">
            {t("welcome.submit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

import { useForm } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { setFirstPassword, welcomeState } from "~/auth/invitation.server";
import { SetPasswordSchema } from "~/auth/schemas";
import { Field, FormError, parseForm, ValidatedForm } from "~/components/form";
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
    onValidate: ({ formData }) => parseForm(formData, { schema: SetPasswordSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page narrow">
      <section className="card">
        <h1>{t("welcome.title")}</h1>
        <p>{t("welcome.intro")}</p>
        {needsCurrentPassword ? <p className="muted">{t("welcome.proofNeeded")}</p> : null}
        <ValidatedForm form={form} method="post" className="stack">
          <FormError id={form.errorId} errors={form.errors} />
          <input type="hidden" name="next" value={searchParams.get("next") ?? "/"} />
          <input type="hidden" name="username" autoComplete="username" value={email} />
          {needsCurrentPassword ? (
            <Field
              field={fields.currentPassword}
              label={t("welcome.currentPassword")}
              type="password"
              autoComplete="current-password"
              required
            />
          ) : null}
          {(["newPassword", "confirmPassword"] as const).map((name) => (
            <Field key={name} field={fields[name]} label={t(`welcome.${name}`)} type="password" autoComplete="new-password" />
          ))}
          <button type="submit" className="button">
            {t("welcome.submit")}
          </button>
        </ValidatedForm>
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

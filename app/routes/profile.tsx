import { useForm } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PasswordChangeSchema, ProfileSchema } from "~/auth/schemas";
import { requireUser } from "~/auth/session.server";
import { Field, FormError, parseForm, SelectField, ValidatedForm } from "~/components/form";
import { pageTitle } from "~/components/page-title";
import { LANGUAGES } from "~/db/enums";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { LANGUAGE_NAMES } from "~/i18n/config";
import { getMyRoles } from "~/people/queries.server";
import { changePassword, saveProfile, signOutEverywhere } from "~/people/profile-actions.server";
import { byIntent, readFormData } from "~/components/refusal.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "profile:title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const { profile } = await withUserTransaction(context.tongke.database, claims, (tx) => getMyRoles(tx, claims.sub));
  if (!profile) throw new Response("Not found", { status: 404 });
  return data({ email: claims.email ?? "", displayName: profile.displayName, preferredLanguage: profile.preferredLanguage }, { headers });
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  return byIntent(request, await readFormData(request), {
    profile: (formData) => saveProfile(request, context, formData),
    password: (formData) => changePassword(request, context, formData),
    signOutEverywhere: () => signOutEverywhere(request, context),
  });
};

export default function Profile() {
  const { t } = useTranslation("profile");
  const profile = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [profileForm, profileFields] = useForm({
    id: "profile",
    lastResult: result?.intent === "profile" ? result.reply : undefined,
    defaultValue: { displayName: profile.displayName, preferredLanguage: profile.preferredLanguage },
    onValidate: ({ formData }) => parseForm(formData, { schema: ProfileSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const [passwordForm, passwordFields] = useForm({
    id: "password",
    lastResult: result?.intent === "password" ? result.reply : undefined,
    onValidate: ({ formData }) => parseForm(formData, { schema: PasswordChangeSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page narrow">
      <h1>{t("title")}</h1>
      <p className="muted">{profile.email}</p>
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t("detailsTitle")}</h2>
        <ValidatedForm form={profileForm} method="post" className="stack">
          <input type="hidden" name="intent" value="profile" />
          <FormError id={profileForm.errorId} errors={profileForm.errors} />
          <Field field={profileFields.displayName} label={t("displayName")} autoComplete="name" />
          <SelectField field={profileFields.preferredLanguage} label={t("preferredLanguage")}>
            {LANGUAGES.map((lng) => (
              <option key={lng} value={lng} lang={lng}>
                {LANGUAGE_NAMES[lng]}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="button">
            {t("save")}
          </button>
        </ValidatedForm>
      </section>
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">{t("passwordTitle")}</h2>
        <ValidatedForm form={passwordForm} method="post" className="stack">
          <input type="hidden" name="intent" value="password" />
          <input type="hidden" name="username" autoComplete="username" value={profile.email} />
          <FormError id={passwordForm.errorId} errors={passwordForm.errors} />
          {(["currentPassword", "newPassword", "confirmPassword"] as const).map((name) => (
            <Field
              key={name}
              field={passwordFields[name]}
              label={t(name)}
              type="password"
              autoComplete={name === "currentPassword" ? "current-password" : "new-password"}
            />
          ))}
          <button type="submit" className="button">
            {t("changePassword")}
          </button>
        </ValidatedForm>
      </section>
      <section className="card" aria-labelledby="devices-heading">
        <h2 id="devices-heading">{t("devicesTitle")}</h2>
        <p>{t("devicesIntro")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="signOutEverywhere" />
          <button type="submit" className="button button--secondary">
            {t("signOutEverywhere")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

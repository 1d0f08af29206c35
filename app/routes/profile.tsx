import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PasswordChangeSchema, ProfileSchema } from "~/auth/schemas";
import { requireUser } from "~/auth/session.server";
import { FieldError, FormError } from "~/components/form";
import { pageTitle } from "~/components/page-title";
import { LANGUAGES } from "~/db/enums";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { LANGUAGE_NAMES } from "~/i18n/config";
import { getMyRoles } from "~/people/queries.server";
import { changePassword, saveProfile, signOutEverywhere } from "~/people/profile-actions.server";
import { readFormData } from "~/components/refusal.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "profile:title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const { profile } = await withUserTransaction(context.tongke.database, claims, (tx) => getMyRoles(tx, claims.sub));
  if (!profile) throw new Response("Not found", { status: 404 });
  return data({ email: claims.email ?? "", displayName: profile.displayName, preferredLanguage: profile.preferredLanguage }, { headers });
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "signOutEverywhere") return signOutEverywhere(request, context);
  return intent === "password" ? changePassword(request, context, formData) : saveProfile(request, context, formData);
};

export default function Profile() {
  const { t } = useTranslation("profile");
  const profile = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("saved");
  const [profileForm, profileFields] = useForm({
    id: "profile",
    lastResult: result?.intent === "profile" ? result.reply : undefined,
    defaultValue: { displayName: profile.displayName, preferredLanguage: profile.preferredLanguage },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const [passwordForm, passwordFields] = useForm({
    id: "password",
    lastResult: result?.intent === "password" ? result.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordChangeSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page narrow">
      <h1>{t("title")}</h1>
      <p className="muted">{profile.email}</p>
      {saved ? (
        <p className="notice" role="status">
          {t(saved === "password" ? "passwordSaved" : "profileSaved")}
        </p>
      ) : null}
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t("detailsTitle")}</h2>
        <Form method="post" {...getFormProps(profileForm)} className="stack">
          <input type="hidden" name="intent" value="profile" />
          <FormError id={profileForm.errorId} errors={profileForm.errors} />
          <div className="field">
            <label htmlFor={profileFields.displayName.id}>{t("displayName")}</label>
            <input {...getInputProps(profileFields.displayName, { type: "text" })} autoComplete="name" />
            <FieldError id={profileFields.displayName.errorId} errors={profileFields.displayName.errors} />
          </div>
          <div className="field">
            <label htmlFor={profileFields.preferredLanguage.id}>{t("preferredLanguage")}</label>
            <select {...getSelectProps(profileFields.preferredLanguage)}>
              {LANGUAGES.map((lng) => (
                <option key={lng} value={lng} lang={lng}>
                  {LANGUAGE_NAMES[lng]}
                </option>
              ))}
            </select>
            <FieldError id={profileFields.preferredLanguage.errorId} errors={profileFields.preferredLanguage.errors} />
          </div>
          <button type="submit" className="button">
            {t("save")}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">{t("passwordTitle")}</h2>
        <Form method="post" {...getFormProps(passwordForm)} className="stack">
          <input type="hidden" name="intent" value="password" />
          <input type="hidden" name="username" autoComplete="username" value={profile.email} />
          <FormError id={passwordForm.errorId} errors={passwordForm.errors} />
          {(["currentPassword", "newPassword", "confirmPassword"] as const).map((name) => (
            <div className="field" key={name}>
              <label htmlFor={passwordFields[name].id}>{t(name)}</label>
              <input
                {...getInputProps(passwordFields[name], { type: "password" })}
                autoComplete={name === "currentPassword" ? "current-password" : "new-password"}
              />
              <FieldError id={passwordFields[name].errorId} errors={passwordFields[name].errors} />
            </div>
          ))}
          <button type="submit" className="button">
            {t("changePassword")}
          </button>
        </Form>
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

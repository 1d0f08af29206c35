import { useForm } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { ChoiceGroupField, Field, FormError, parseForm, SelectField, TextareaField, ValidatedForm } from "~/components/form";
import { pageTitle } from "~/components/page-title";
import { SUBJECTS } from "~/db/enums";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { pickName } from "~/i18n/localized-name";
import { proposePairing } from "~/pairings/actions.server";
import { schoolsIMayProposeFrom } from "~/pairings/queries.server";
import { nextTerm, ProposePairingSchema, termOf } from "~/pairings/schemas";
import type { loader as rootLoader } from "~/root";
import { listRegions, searchSchools } from "~/schools/queries.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "pairings:new.title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const { mine, all, regions } = await withUserTransaction(context.tongke.database, claims, async (tx) => ({
    mine: await schoolsIMayProposeFrom(tx, claims.sub),
    all: await searchSchools(tx, {}),
    regions: await listRegions(tx),
  }));
  if (mine.length === 0) throw new Response("Forbidden", { status: 403 });
  const current = termOf(new Date());
  return data({ mine, all, regions, terms: [current, nextTerm(current)] }, { headers });
};

export const action = ({ request, context }: ActionFunctionArgs) => proposePairing(request, context);

export default function ProposePairing() {
  const { t } = useTranslation("pairings");
  const { mine, all, regions, terms } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { schoolAId: mine.length === 1 ? mine[0].id : "", term: terms[0], jointLessonsPlanned: "8" },
    onValidate: ({ formData }) => parseForm(formData, { schema: ProposePairingSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const mySchoolIds = new Set(mine.map((s) => s.id));
  return (
    <div className="page narrow">
      <h1>{t("new.title")}</h1>
      <p className="muted">{t("new.intro")}</p>
      <section className="card">
        <ValidatedForm form={form} method="post" className="stack">
          <FormError id={form.errorId} errors={form.errors} />
          <SelectField field={fields.schoolAId} label={t("new.mySchool")} placeholder={t("new.choose")}>
            {mine.map((s) => (
              <option key={s.id} value={s.id}>
                {pickName(s, locale).text}
              </option>
            ))}
          </SelectField>
          <SelectField field={fields.schoolBId} label={t("new.partnerSchool")} placeholder={t("new.choose")}>
            {regions.map((r) => (
              <optgroup key={r.id} label={pickName(r, locale).text}>
                {all
                  .filter((s) => s.region.id === r.id && !mySchoolIds.has(s.id))
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {pickName(s, locale).text}
                    </option>
                  ))}
              </optgroup>
            ))}
          </SelectField>
          <SelectField field={fields.term} label={t("new.term")}>
            {terms.map((term) => (
              <option key={term} value={term}>
                {t("termName", { from: term.slice(0, 4), to: term.slice(5, 9), half: t(`half.${term.slice(10)}`) })}
              </option>
            ))}
          </SelectField>
          <Field field={fields.jointLessonsPlanned} label={t("new.jointLessons")} type="number" min={0} max={200} inputMode="numeric" />
          <ChoiceGroupField
            field={fields.subjects}
            legend={t("new.subjects")}
            className="checkbox-grid"
            options={SUBJECTS.map((subject) => ({ value: subject, label: t(`subjects.${subject}`) }))}
          />
          <TextareaField field={fields.note} label={t("new.note")} rows={3} />
          <button type="submit" className="button">
            {t("new.submit")}
          </button>
        </ValidatedForm>
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

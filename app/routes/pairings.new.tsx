import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { FieldError, FormError } from "~/components/form";
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
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProposePairingSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const mySchoolIds = new Set(mine.map((s) => s.id));
  return (
    <div className="page narrow">
      <h1>{t("new.title")}</h1>
      <p className="muted">{t("new.intro")}</p>
      <section className="card">
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormError id={form.errorId} errors={form.errors} />
          <div className="field">
            <label htmlFor={fields.schoolAId.id}>{t("new.mySchool")}</label>
            <select {...getSelectProps(fields.schoolAId)}>
              <option value="">{t("new.choose")}</option>
              {mine.map((s) => (
                <option key={s.id} value={s.id}>
                  {pickName(s, locale).text}
                </option>
              ))}
            </select>
            <FieldError id={fields.schoolAId.errorId} errors={fields.schoolAId.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.schoolBId.id}>{t("new.partnerSchool")}</label>
            <select {...getSelectProps(fields.schoolBId)}>
              <option value="">{t("new.choose")}</option>
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
            </select>
            <FieldError id={fields.schoolBId.errorId} errors={fields.schoolBId.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.term.id}>{t("new.term")}</label>
            <select {...getSelectProps(fields.term)}>
              {terms.map((term) => (
                <option key={term} value={term}>
                  {t("termName", { from: term.slice(0, 4), to: term.slice(5, 9), half: t(`half.${term.slice(10)}`) })}
                </option>
              ))}
            </select>
            <FieldError id={fields.term.errorId} errors={fields.term.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.jointLessonsPlanned.id}>{t("new.jointLessons")}</label>
            <input {...getInputProps(fields.jointLessonsPlanned, { type: "number" })} min={0} max={200} inputMode="numeric" />
            <FieldError id={fields.jointLessonsPlanned.errorId} errors={fields.jointLessonsPlanned.errors} />
          </div>
          <fieldset className="field checkbox-grid" aria-describedby={fields.subjects.errorId}>
            <legend>{t("new.subjects")}</legend>
            {SUBJECTS.map((subject) => (
              <label key={subject} className="checkbox">
                <input type="checkbox" name={fields.subjects.name} value={subject} />
                {t(`subjects.${subject}`)}
              </label>
            ))}
            <FieldError id={fields.subjects.errorId} errors={fields.subjects.errors} />
          </fieldset>
          <div className="field">
            <label htmlFor={fields.note.id}>{t("new.note")}</label>
            <textarea {...getTextareaProps(fields.note)} rows={3} />
            <FieldError id={fields.note.errorId} errors={fields.note.errors} />
          </div>
          <button type="submit" className="button">
            {t("new.submit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

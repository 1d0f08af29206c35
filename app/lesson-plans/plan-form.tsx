import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, FormError } from "~/components/form";
import { GRADES, LANGUAGES, SUBJECTS } from "~/db/enums";
import { LANGUAGE_NAMES } from "~/i18n/config";
import { CreatePlanSchema, UpdatePlanSchema } from "./schemas";

export interface Author {
  id: string;
  displayName: string | null;
  school: string;
}

interface PlanFormProps {
  mode: "create" | "update";
  authors: Author[];
  defaultValue: Record<string, unknown>;
  lastResult?: SubmissionResult<string[]> | null;
  /** Only the lead author may hand over the lead. */
  leadLocked?: boolean;
}

/** The metadata of a plan: subject, grade, unit, periods, lead author (主备人) and co-authors. */
export function PlanForm({ mode, authors, defaultValue, lastResult, leadLocked }: PlanFormProps) {
  const { t } = useTranslation("lessonPlans");
  const [form, fields] = useForm({
    id: `plan-${mode}`,
    lastResult,
    defaultValue: defaultValue as never,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: mode === "create" ? CreatePlanSchema : UpdatePlanSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const coauthors = new Set((defaultValue.coauthorIds as string[] | undefined) ?? []);
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormError id={form.errorId} errors={form.errors} />
      {mode === "update" ? <input type="hidden" name="expectedVersion" value={String(defaultValue.expectedVersion)} /> : null}
      <div className="field">
        <label htmlFor={fields.title.id}>{t("form.title")}</label>
        <input {...getInputProps(fields.title, { type: "text" })} maxLength={200} autoComplete="off" />
        <FieldError id={fields.title.errorId} errors={fields.title.errors} />
      </div>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={fields.subject.id}>{t("form.subject")}</label>
          <select {...getSelectProps(fields.subject)}>
            <option value="">{t("form.choose")}</option>
            {SUBJECTS.map((s) => (
              <option key={s} value={s}>
                {t(`pairings:subjects.${s}`)}
              </option>
            ))}
          </select>
          <FieldError id={fields.subject.errorId} errors={fields.subject.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.grade.id}>{t("form.grade")}</label>
          <select {...getSelectProps(fields.grade)}>
            <option value="">{t("form.choose")}</option>
            {GRADES.map((g) => (
              <option key={g} value={g}>
                {t(`grades.${g}`)}
              </option>
            ))}
          </select>
          <FieldError id={fields.grade.errorId} errors={fields.grade.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.textbookUnit.id}>{t("form.textbookUnit")}</label>
          <input {...getInputProps(fields.textbookUnit, { type: "text" })} maxLength={200} autoComplete="off" />
          <FieldError id={fields.textbookUnit.errorId} errors={fields.textbookUnit.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.periods.id}>{t("form.periods")}</label>
          <input {...getInputProps(fields.periods, { type: "number" })} min={1} max={10} inputMode="numeric" />
          <FieldError id={fields.periods.errorId} errors={fields.periods.errors} />
        </div>
      </div>
      {mode === "create" ? (
        <div className="field">
          <label htmlFor={fields.language.id}>{t("form.language")}</label>
          <select {...getSelectProps(fields.language)}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
          <FieldError id={fields.language.errorId} errors={fields.language.errors} />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={fields.leadAuthorId.id}>{t("form.leadAuthor")}</label>
        {leadLocked ? <input type="hidden" name={fields.leadAuthorId.name} value={String(defaultValue.leadAuthorId)} /> : null}
        <select {...getSelectProps(fields.leadAuthorId)} disabled={leadLocked}>
          {authors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName} · {a.school}
            </option>
          ))}
        </select>
        <FieldError id={fields.leadAuthorId.errorId} errors={fields.leadAuthorId.errors} />
      </div>
      <fieldset className="field checkbox-grid" aria-describedby={fields.coauthorIds.errorId}>
        <legend>{t("form.coauthors")}</legend>
        {authors.map((a) => (
          <label key={a.id} className="checkbox">
            <input type="checkbox" name={fields.coauthorIds.name} value={a.id} defaultChecked={coauthors.has(a.id)} />
            {a.displayName} · {a.school}
          </label>
        ))}
        <FieldError id={fields.coauthorIds.errorId} errors={fields.coauthorIds.errors} />
      </fieldset>
      <button type="submit" className="button">
        {t(mode === "create" ? "form.create" : "form.save")}
      </button>
    </Form>
  );
}

import { useForm } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { ChoiceGroupField, Field, FormError, type FormResult, parseForm, SelectField, ValidatedForm } from "~/components/form";
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
  lastResult?: FormResult | null;
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
    onValidate: ({ formData }) => parseForm(formData, { schema: mode === "create" ? CreatePlanSchema : UpdatePlanSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <ValidatedForm form={form} method="post" className="stack">
      <FormError id={form.errorId} errors={form.errors} />
      {mode === "update" ? <input type="hidden" name="expectedVersion" value={String(defaultValue.expectedVersion)} /> : null}
      <Field field={fields.title} label={t("form.title")} maxLength={200} autoComplete="off" />
      <div className="grid-2">
        <SelectField field={fields.subject} label={t("form.subject")} placeholder={t("form.choose")}>
          {SUBJECTS.map((s) => (
            <option key={s} value={s}>
              {t(`pairings:subjects.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField field={fields.grade} label={t("form.grade")} placeholder={t("form.choose")}>
          {GRADES.map((g) => (
            <option key={g} value={g}>
              {t(`grades.${g}`)}
            </option>
          ))}
        </SelectField>
        <Field field={fields.textbookUnit} label={t("form.textbookUnit")} maxLength={200} autoComplete="off" />
        <Field field={fields.periods} label={t("form.periods")} type="number" min={1} max={10} inputMode="numeric" />
      </div>
      {mode === "create" ? (
        <SelectField field={fields.language} label={t("form.language")}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </SelectField>
      ) : null}
      <SelectField
        field={fields.leadAuthorId}
        label={t("form.leadAuthor")}
        disabled={leadLocked}
        after={leadLocked ? <input type="hidden" name={fields.leadAuthorId.name} value={String(defaultValue.leadAuthorId)} /> : null}
      >
        {authors.map((a) => (
          <option key={a.id} value={a.id}>
            {a.displayName} · {a.school}
          </option>
        ))}
      </SelectField>
      <ChoiceGroupField
        field={fields.coauthorIds}
        legend={t("form.coauthors")}
        className="checkbox-grid"
        options={authors.map((a) => ({ value: a.id, label: `${a.displayName} · ${a.school}` }))}
      />
      <button type="submit" className="button">
        {t(mode === "create" ? "form.create" : "form.save")}
      </button>
    </ValidatedForm>
  );
}

import { useForm } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { Field, FormError, type FormResult, parseForm, SelectField, ValidatedForm } from "~/components/form";
import { STAGES } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { pickName, type Names } from "~/i18n/localized-name";
import { SchoolSchema } from "./schemas";

interface SchoolFormProps {
  regions: (Names & { id: string })[];
  locale: Locale;
  lastResult?: FormResult;
  defaultValue?: { regionId: string; nameZh: string; nameBo: string | null; nameEn: string | null; stage: string };
  submitLabel: string;
}

/** Create and edit a school: one form, validated by the same schema in the browser and the action. */
export function SchoolForm({ regions, locale, lastResult, defaultValue, submitLabel }: SchoolFormProps) {
  const { t } = useTranslation("school");
  const [form, fields] = useForm({
    lastResult,
    defaultValue: defaultValue ?? { regionId: regions.length === 1 ? regions[0].id : "" },
    onValidate: ({ formData }) => parseForm(formData, { schema: SchoolSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <ValidatedForm form={form} method="post" className="stack">
      <FormError id={form.errorId} errors={form.errors} />
      <SelectField field={fields.regionId} label={t("region")} placeholder={t("chooseRegion")}>
        {regions.map((r) => (
          <option key={r.id} value={r.id}>
            {pickName(r, locale).text}
          </option>
        ))}
      </SelectField>
      {(
        [
          ["nameZh", "zh-CN"],
          ["nameBo", "bo"],
          ["nameEn", "en"],
        ] as const
      ).map(([name, lang]) => (
        <Field key={name} field={fields[name]} label={t(`form.${name}`)} lang={lang} />
      ))}
      <SelectField field={fields.stage} label={t("stage")} placeholder={t("chooseStage")}>
        {STAGES.map((s) => (
          <option key={s} value={s}>
            {t(`common:stages.${s}`)}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="button">
        {submitLabel}
      </button>
    </ValidatedForm>
  );
}

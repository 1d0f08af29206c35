import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, FormError } from "~/components/form";
import { STAGES } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { pickName, type Names } from "~/i18n/localized-name";
import { SchoolSchema } from "./schemas";

interface SchoolFormProps {
  regions: (Names & { id: string })[];
  locale: Locale;
  lastResult?: SubmissionResult<string[]>;
  defaultValue?: { regionId: string; nameZh: string; nameBo: string | null; nameEn: string | null; stage: string };
  submitLabel: string;
}

/** Create and edit a school: one form, validated by the same schema in the browser and the action. */
export function SchoolForm({ regions, locale, lastResult, defaultValue, submitLabel }: SchoolFormProps) {
  const { t } = useTranslation("school");
  const [form, fields] = useForm({
    lastResult,
    defaultValue: defaultValue ?? { regionId: regions.length === 1 ? regions[0].id : "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SchoolSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormError id={form.errorId} errors={form.errors} />
      <div className="field">
        <label htmlFor={fields.regionId.id}>{t("region")}</label>
        <select {...getSelectProps(fields.regionId)}>
          <option value="">{t("chooseRegion")}</option>
          {regions.map((r) => (
            <option key={r.id} value={r.id}>
              {pickName(r, locale).text}
            </option>
          ))}
        </select>
        <FieldError id={fields.regionId.errorId} errors={fields.regionId.errors} />
      </div>
      {(
        [
          ["nameZh", "zh-CN"],
          ["nameBo", "bo"],
          ["nameEn", "en"],
        ] as const
      ).map(([name, lang]) => (
        <div className="field" key={name}>
          <label htmlFor={fields[name].id}>{t(`form.${name}`)}</label>
          <input {...getInputProps(fields[name], { type: "text" })} lang={lang} />
          <FieldError id={fields[name].errorId} errors={fields[name].errors} />
        </div>
      ))}
      <div className="field">
        <label htmlFor={fields.stage.id}>{t("stage")}</label>
        <select {...getSelectProps(fields.stage)}>
          <option value="">{t("chooseStage")}</option>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {t(`common:stages.${s}`)}
            </option>
          ))}
        </select>
        <FieldError id={fields.stage.errorId} errors={fields.stage.errors} />
      </div>
      <button type="submit" className="button">
        {submitLabel}
      </button>
    </Form>
  );
}

import { useTranslation } from "react-i18next";

/** The translated message for a field's first error, tied to the input by id. */
export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <p id={id} className="field-error">
      {t(errors[0])}
    </p>
  );
}

export function FormError({ id, errors }: { id: string; errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div id={id} className="form-error" role="alert">
      {errors.map((e) => (
        <p key={e}>{t(e)}</p>
      ))}
    </div>
  );
}

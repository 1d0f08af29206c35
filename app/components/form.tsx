import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

/** An error is a translation key, optionally with the values it names: `ns:key|{"name":"…"}`. */
export const errorWithValues = (key: string, values: Record<string, string | number>) => `${key}|${JSON.stringify(values)}`;

function translateError(t: TFunction, error: string): string {
  const split = error.indexOf("|{");
  if (split < 0) return t(error);
  try {
    return t(error.slice(0, split), JSON.parse(error.slice(split + 1)) as Record<string, string>);
  } catch {
    return t(error.slice(0, split));
  }
}

/** The translated message for a field's first error, tied to the input by id. */
export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <p id={id} className="field-error">
      {translateError(t, errors[0])}
    </p>
  );
}

export function FormError({ id, errors }: { id: string; errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div id={id} className="form-error" role="alert">
      {errors.map((e) => (
        <p key={e}>{translateError(t, e)}</p>
      ))}
    </div>
  );
}

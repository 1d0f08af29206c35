import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES, SUPPORTED_LANGUAGES, type Locale } from "~/i18n/config";

/** Plain form buttons: works before JavaScript loads, by keyboard, and on a phone. */
export function LanguageSwitcher({ current, redirectTo }: { current: Locale; redirectTo: string }) {
  const { t } = useTranslation("common");
  return (
    <Form method="post" action="/language" className="language-switcher" aria-label={t("language.label")}>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {SUPPORTED_LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="submit"
          name="lng"
          value={lng}
          lang={lng}
          aria-pressed={lng === current}
          className="language-switcher__option"
        >
          {LANGUAGE_NAMES[lng]}
        </button>
      ))}
    </Form>
  );
}

import i18next, { type i18n, type ResourceLanguage } from "i18next";
import { initReactI18next } from "react-i18next";
import { NAMESPACES, type Locale } from "./config";

/**
 * One i18next instance per locale, built synchronously from the strings the root loader
 * sent — the same code on the server and in the browser, no extra request for strings.
 */
export function createI18n(locale: Locale, strings: ResourceLanguage): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    resources: { [locale]: strings },
    ns: [...NAMESPACES],
    defaultNS: "common",
    fallbackLng: false,
    initImmediate: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  return instance;
}

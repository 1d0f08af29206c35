import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { cookieSecrets } from "../config.server";
import { DEFAULT_LOCALE, SUPPORTED_LANGUAGES, isLocale, type Locale } from "./config";
import { resources } from "./resources.server";

/** The reader's explicit choice of language; the profile's preference is copied here at sign-in. */
export const localeCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
  secrets: cookieSecrets(),
});

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LANGUAGES],
    fallbackLanguage: DEFAULT_LOCALE,
    cookie: localeCookie,
    order: ["cookie", "header"],
  },
  i18next: { resources: resources(), fallbackLng: DEFAULT_LOCALE, interpolation: { escapeValue: false } },
});

export async function getLocale(request: Request): Promise<Locale> {
  const locale = await i18nServer.getLocale(request);
  if (isLocale(locale)) return locale;
  // Accept-Language "zh", "zh-Hans", "zh-TW" all mean Chinese to us.
  return locale.toLowerCase().startsWith("bo") ? "bo" : locale.toLowerCase().startsWith("en") ? "en" : DEFAULT_LOCALE;
}

export async function getFixedT(request: Request, ns?: string | string[]) {
  const locale = await getLocale(request);
  return i18nServer.getFixedT(locale, (ns ?? "common") as "common");
}

import type { Locale } from "./config";

export interface Names {
  nameZh: string;
  nameBo?: string | null;
  nameEn?: string | null;
}

/** The name in the reader's language when it exists, else the Chinese name; with its own language tag. */
export function pickName(names: Names, locale: Locale): { text: string; lang: Locale } {
  if (locale === "bo" && names.nameBo) return { text: names.nameBo, lang: "bo" };
  if (locale === "en" && names.nameEn) return { text: names.nameEn, lang: "en" };
  return { text: names.nameZh, lang: "zh-CN" };
}

export function LocalizedName({ names, locale }: { names: Names; locale: Locale }) {
  const { text, lang } = pickName(names, locale);
  return lang === locale ? <>{text}</> : <span lang={lang}>{text}</span>;
}

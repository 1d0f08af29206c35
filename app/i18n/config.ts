export const SUPPORTED_LANGUAGES = ["zh-CN", "bo", "en"] as const;
export type Locale = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

/** Every namespace under public/locales/<lng>/; the unit test checks each locale has each key. */
export const NAMESPACES = [
  "common",
  "auth",
  "home",
  "directory",
  "school",
  "profile",
  "validation",
  "errors",
  "pairings",
  "outbox",
  "dashboard",
  "lessonPlans",
  "editor",
  "planExport",
  "planDiff",
  "uploads",
  "live",
  "classroom",
  "calendar",
] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** Each language's own name, shown in the switcher in that language. */
export const LANGUAGE_NAMES: Record<Locale, string> = { "zh-CN": "中文", bo: "བོད་ཡིག", en: "English" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

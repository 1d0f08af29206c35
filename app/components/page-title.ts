import type { MetaDescriptor } from "@remix-run/node";
import type { ResourceLanguage } from "i18next";
import { DEFAULT_LOCALE, isLocale, type Locale } from "~/i18n/config";

interface RootData {
  locale: string;
  strings: ResourceLanguage;
}

/** The reader's language, from the root loader's data, for meta functions. */
export function rootLocale(matches: ReadonlyArray<{ id: string; data: unknown }>): Locale {
  const locale = (matches.find((m) => m.id === "root")?.data as RootData | undefined)?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** `<title>` in the reader's language, from the strings the root loader sent. */
export function pageTitle(matches: ReadonlyArray<{ id: string; data: unknown }>, key: string, extra?: string): MetaDescriptor[] {
  const root = matches.find((m) => m.id === "root")?.data as RootData | undefined;
  const [ns, path] = key.split(":");
  const text = root ? String(lookup(root.strings[ns], path) ?? "") : "";
  const brand = root ? String(lookup(root.strings.common, "brand") ?? "同课") : "同课";
  return [{ title: [extra, text, brand].filter(Boolean).join(" · ") }];
}

function lookup(tree: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

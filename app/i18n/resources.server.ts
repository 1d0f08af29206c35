import fs from "node:fs";
import path from "node:path";
import type { Resource, ResourceLanguage } from "i18next";
import { appRoot } from "../config.server";
import { NAMESPACES, SUPPORTED_LANGUAGES, type Locale } from "./config";

/** public/locales/<lng>/<ns>.json, read once per process. */
function load(): Record<Locale, ResourceLanguage> {
  const dir = path.resolve(appRoot(), "public", "locales");
  const all = {} as Record<Locale, ResourceLanguage>;
  for (const lng of SUPPORTED_LANGUAGES) {
    all[lng] = {};
    for (const ns of NAMESPACES) {
      all[lng][ns] = JSON.parse(fs.readFileSync(path.join(dir, lng, `${ns}.json`), "utf8"));
    }
  }
  return all;
}

let cache: Record<Locale, ResourceLanguage> | undefined;

export function resources(): Resource {
  cache ??= load();
  return cache;
}

export function resourcesFor(locale: Locale): ResourceLanguage {
  return (resources() as Record<Locale, ResourceLanguage>)[locale];
}

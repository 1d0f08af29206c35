import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, PAIRING_EVENT_KINDS } from "~/db/enums";
import { NAMESPACES, SUPPORTED_LANGUAGES } from "./config";

const root = path.resolve(__dirname, "../../public/locales");
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: unknown, prefix = ""): string[] {
  if (typeof tree !== "object" || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

function keysOf(lng: string, ns: string): Set<string> {
  const json = JSON.parse(fs.readFileSync(path.join(root, lng, `${ns}.json`), "utf8"));
  // Plural forms differ by language (English has _one, Chinese and Tibetan only _other).
  return new Set(flatten(json).map((k) => k.replace(PLURAL, "")));
}

describe("locales", () => {
  it.each(NAMESPACES)("every language has every key of %s, and nothing else", (ns) => {
    const reference = keysOf("zh-CN", ns);
    for (const lng of SUPPORTED_LANGUAGES) {
      const keys = keysOf(lng, ns);
      expect({ lng, missing: [...reference].filter((k) => !keys.has(k)) }).toEqual({ lng, missing: [] });
      expect({ lng, extra: [...keys].filter((k) => !reference.has(k)) }).toEqual({ lng, extra: [] });
    }
  });

  it("no string is empty or left in another language's placeholder form", () => {
    for (const lng of SUPPORTED_LANGUAGES) {
      for (const ns of NAMESPACES) {
        const json = JSON.parse(fs.readFileSync(path.join(root, lng, `${ns}.json`), "utf8"));
        const empty = flatten(json).filter((k) => {
          const value = k.split(".").reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], json);
          return typeof value !== "string" || value.trim() === "";
        });
        expect({ lng, ns, empty }).toEqual({ lng, ns, empty: [] });
      }
    }
  });

  it("every literal key the code uses exists in the locales", () => {
    const keyPattern = new RegExp(`["'\`]((?:${NAMESPACES.join("|")}):[\\w.-]+)["'\`]`, "g");
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(tsx?|ts)$/.test(entry.name) && !entry.name.endsWith(".test.ts")) {
          const text = fs.readFileSync(file, "utf8");
          // t("ns:key") and message keys in schemas: "validation:required"
          for (const m of text.matchAll(keyPattern)) {
            used.add(m[1]);
          }
        }
      }
    };
    walk(path.resolve(__dirname, ".."));
    const missing = [...used].filter((full) => {
      const [ns, key] = full.split(":");
      return !keysOf("zh-CN", ns).has(key);
    });
    expect(used.size).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  it("every kind of pairing event and notification reads as a sentence in the timeline and the inbox", () => {
    const events = keysOf("zh-CN", "pairings");
    expect(PAIRING_EVENT_KINDS.filter((kind) => !events.has(`events.${kind}`))).toEqual([]);
    expect(NOTIFICATION_KINDS.filter((kind) => !events.has(`notifications.kinds.${kind}`))).toEqual([]);
  });
});

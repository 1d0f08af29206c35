import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateFontsCss } from "../../scripts/generate-fonts-css.mjs";

const css = (file: string) => fs.readFileSync(path.resolve(__dirname, file), "utf8");
const stack = (name: string) =>
  new RegExp(`${name}:([^;]+);`)
    .exec(css("app.css"))![1]
    .split(",")
    .map((f) => f.trim().replace(/"/g, ""));

describe("fonts", () => {
  it("fonts.css is what the generator makes from the installed @fontsource packages", () => {
    expect(css("fonts.css")).toBe(generateFontsCss());
  });

  it("every web face swaps, is sliced by unicode-range, and points at a file that exists", () => {
    const faces = [...css("fonts.css").matchAll(/@font-face {([^}]*)}/g)].map((m) => m[1]);
    expect(faces.length).toBeGreaterThan(50);
    for (const face of faces) {
      expect(face).toContain("font-display: swap;");
      expect(face).toMatch(/unicode-range: U\+/);
      const url = /url\("([^"]+)"\)/.exec(face)![1];
      expect(fs.existsSync(path.resolve(__dirname, url))).toBe(true);
    }
  });

  it("no web face takes the name of a font a device may have installed", () => {
    const families = new Set([...css("fonts.css").matchAll(/font-family: "([^"]+)"/g)].map((m) => m[1]));
    expect([...families].sort()).toEqual(["Tongke Sans SC", "Tongke Serif Tibetan"]);
  });

  it("a Chinese bracket in Tibetan text does not download the Tibetan web font", () => {
    const tibetan = [...css("fonts.css").matchAll(/@font-face {([^}]*)}/g)]
      .map((m) => m[1])
      .filter((face) => face.includes('"Tongke Serif Tibetan"'));
    expect(tibetan).toHaveLength(1);
    expect(/unicode-range: ([^;]+);/.exec(tibetan[0])![1]).toBe("U+0F00-0FFF,U+200C-200D,U+25CC");
  });

  it("the device's fonts come first, the web fonts after them, the generic family last", () => {
    const zh = stack("--font-zh");
    expect(zh.at(-1)).toBe("sans-serif");
    for (const local of ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "HarmonyOS Sans SC"]) {
      expect(zh.indexOf(local)).toBeGreaterThanOrEqual(0);
      expect(zh.indexOf(local)).toBeLessThan(zh.indexOf("Tongke Sans SC"));
    }
    // Tibetan met outside lang="bo" (the switcher's "བོད་ཡིག"): the device's Tibetan font, else ours.
    expect(zh.slice(zh.indexOf("Tongke Sans SC") + 1, -1)).toEqual(stack("--font-bo"));
    const bo = stack("--font-bo");
    // No generic family: the Chinese stack follows the Tibetan one (html[lang="bo"]).
    expect(bo.at(-1)).toBe("Tongke Serif Tibetan");
    for (const local of ["Microsoft Himalaya", "Kailasa", "Noto Sans Tibetan", "Noto Serif Tibetan", "Jomolhari"]) {
      expect(bo.indexOf(local)).toBeGreaterThanOrEqual(0);
    }
  });
});

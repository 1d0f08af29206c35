import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { appRoot } from "~/config.server";
import { isTibetan } from "./shared";
import { woffToSfnt } from "./woff.server";

/** The families the exports name; the faces are embedded under these names. */
export const SANS_SC = "Noto Sans SC";
export const SERIF_TIBETAN = "Noto Serif Tibetan";

interface Face {
  /** The woff2 file, and the woff one when the package has it. */
  woff2: string;
  woff: string | null;
  weight: string;
  unicodeRange: string;
  ranges: [number, number][];
}

interface Font {
  family: string;
  faces: Face[];
  /** Face indexes by the code points they have glyphs for. */
  coverage: Map<number, number[]>;
}

const FONT_PACKAGES = [
  // One family per package: Noto Sans SC, split by fontsource into ~100 subsets, for everything but Tibetan;
  // Noto Serif Tibetan's Tibetan subset (regular) for Tibetan.
  { family: SANS_SC, css: "@fontsource-variable/noto-sans-sc/index.css", serves: (cp: number) => !isTibetan(cp) },
  { family: SERIF_TIBETAN, css: "@fontsource/noto-serif-tibetan/index.css", serves: isTibetan },
] as const;

const FACE = /@font-face\s*{([^}]*)}/g;

function parseRanges(unicodeRange: string): [number, number][] {
  return unicodeRange.split(",").map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, "").split("-");
    return [parseInt(from, 16), parseInt(to ?? from, 16)];
  });
}

/** The faces of a fontsource stylesheet, with the files and the unicode-range each declares. */
function parseFontFaces(css: string, dir: string): Face[] {
  return [...css.matchAll(FACE)].flatMap(([, body]) => {
    const prop = (name: string) => new RegExp(`${name}\\s*:\\s*([^;]+);`).exec(body)?.[1].trim();
    const urls = [...(prop("src") ?? "").matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)].map((m) => path.resolve(dir, m[1]));
    const woff2 = urls.find((u) => u.endsWith(".woff2"));
    const unicodeRange = prop("unicode-range");
    if (!woff2 || !unicodeRange) return [];
    return [
      {
        woff2,
        woff: urls.find((u) => u.endsWith(".woff")) ?? null,
        weight: prop("font-weight") ?? "400",
        unicodeRange,
        ranges: parseRanges(unicodeRange),
      },
    ];
  });
}

function loadFont(family: string, css: string): Font {
  const root = appRoot();
  const file = createRequire(path.join(root, "package.json")).resolve(css);
  const faces = parseFontFaces(fs.readFileSync(file, "utf8"), path.dirname(file));
  const coverage = new Map<number, number[]>();
  faces.forEach((face, index) => {
    for (const [from, to] of face.ranges) {
      for (let cp = from; cp <= to; cp++) {
        const list = coverage.get(cp);
        if (list) list.push(index);
        else coverage.set(cp, [index]);
      }
    }
  });
  return { family, faces, coverage };
}

let fonts: Font[] | undefined;
const loaded = () => (fonts ??= FONT_PACKAGES.map((p) => loadFont(p.family, p.css)));

/**
 * Few faces that together have a glyph for every code point given that the font has at all. Subsets overlap
 * (Latin letters are in many of them), so each round takes the face that covers most of what is left.
 */
function coveringFaces(font: Pick<Font, "coverage">, codePoints: Iterable<number>): number[] {
  const left = new Set([...codePoints].filter((cp) => font.coverage.has(cp)));
  const chosen: number[] = [];
  while (left.size > 0) {
    const counts = new Map<number, number>();
    for (const cp of left) for (const face of font.coverage.get(cp)!) counts.set(face, (counts.get(face) ?? 0) + 1);
    const [best] = [...counts].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a));
    chosen.push(best);
    for (const cp of left) if (font.coverage.get(cp)!.includes(best)) left.delete(cp);
  }
  return chosen.sort((a, b) => a - b);
}

// At most the whole package (~6 MB as base64), read once per process.
const dataUrls = new Map<string, string>();
const dataUrl = (file: string) => {
  let url = dataUrls.get(file);
  if (!url) dataUrls.set(file, (url = `data:font/woff2;base64,${fs.readFileSync(file).toString("base64")}`));
  return url;
};

function facesNeeded(text: string): { family: string; faces: Face[] }[] {
  // Control characters (line breaks) have no glyph to draw.
  const codePoints = new Set(Array.from(text, (c) => c.codePointAt(0)!).filter((cp) => cp >= 0x20));
  return loaded().map((font, i) => {
    const served = [...codePoints].filter(FONT_PACKAGES[i].serves);
    return { family: font.family, faces: coveringFaces(font, served).map((f) => font.faces[f]) };
  });
}

/** @font-face rules with the font files inline, only the subsets the text needs, so print works offline. */
export function embeddedFontFaces(text: string): string {
  return facesNeeded(text)
    .flatMap(({ family, faces }) =>
      faces.map(
        (face) =>
          `@font-face{font-family:"${family}";font-style:normal;font-weight:${face.weight};font-display:block;` +
          `src:url(${dataUrl(face.woff2)}) format("woff2");unicode-range:${face.unicodeRange};}`,
      ),
    )
    .join("\n");
}

let tibetanSfnt: Buffer | undefined;

/** Noto Serif Tibetan's Tibetan subset as TrueType, which Word can embed. */
export function tibetanTrueType(): Buffer {
  if (!tibetanSfnt) {
    const font = loaded().find((f) => f.family === SERIF_TIBETAN)!;
    const face = font.faces.find((f) => f.woff && f.ranges.some(([from]) => isTibetan(from)));
    if (!face?.woff) throw new Error("@fontsource/noto-serif-tibetan has no Tibetan WOFF file");
    tibetanSfnt = woffToSfnt(fs.readFileSync(face.woff));
  }
  return tibetanSfnt;
}

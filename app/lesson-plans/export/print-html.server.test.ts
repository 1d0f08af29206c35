import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { embeddedFontFaces } from "./fonts.server";
import { renderPrintHtml } from "./print-html.server";
import {
  IMAGE_SRC,
  OTHER_PLAN_IMAGE_SRC,
  PROCESS_HEADERS,
  SAFE_LINK,
  TIBETAN_GREETING,
  h,
  p,
  planFixture,
  text,
  translator,
} from "./test-fixture";

const NOW = new Date("2026-12-01T02:00:00Z");

/** The unicode-range of each Noto Sans SC subset, read straight from the package's stylesheet. */
const packageRanges = fs
  .readFileSync(path.resolve(__dirname, "../../../node_modules/@fontsource-variable/noto-sans-sc/index.css"), "utf8")
  .match(/unicode-range:[^;]+/g)!
  .map((declaration) => declaration.slice("unicode-range:".length).trim());

interface EmbeddedFace {
  family: string;
  range: string;
}

function embeddedFaces(html: string): EmbeddedFace[] {
  return [...html.matchAll(/@font-face{font-family:"([^"]+)";[^}]*unicode-range:([^;]+);}/g)].map(([, family, range]) => ({
    family,
    range,
  }));
}

const covers = (range: string, char: string) => {
  const cp = char.codePointAt(0)!;
  return range.split(",").some((part) => {
    const [from, to] = part.trim().slice(2).split("-");
    return cp >= parseInt(from, 16) && cp <= parseInt(to ?? from, 16);
  });
};

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
const visibleText = (html: string) =>
  html
    .slice(html.indexOf("<body>"), html.indexOf("</body>"))
    .replace(/<[^>]*>/g, "")
    .replace(/&[#\w]+;/g, (entity) => ENTITIES[entity]);

/** Every character the page shows (Tibetan aside) is in an embedded subset, and each subset has one of them. */
function expectSubsetsCoverExactly(html: string): EmbeddedFace[] {
  const chars = new Set(Array.from(visibleText(html)).filter((char) => char.trim() && !/[\u0F00-\u0FFF]/.test(char)));
  const faces = embeddedFaces(html).filter((f) => f.family === "Noto Sans SC");
  for (const face of faces) expect(packageRanges).toContain(face.range);
  for (const char of chars) {
    if (!packageRanges.some((range) => covers(range, char))) continue;
    expect({ char, covered: faces.some((f) => covers(f.range, char)) }).toEqual({ char, covered: true });
  }
  for (const face of faces) expect([...chars].some((char) => covers(face.range, char))).toBe(true);
  return faces;
}

describe("the print export", () => {
  it("is one self-contained page: escaped title, the plan's language, no scripts", async () => {
    const plan = planFixture({ title: '《小虾》<教案> & "同课"' });
    const html = renderPrintHtml(plan, await translator("zh-CN"), { now: NOW });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain("<title>《小虾》&lt;教案&gt; &amp; &quot;同课&quot;</title>");
    expect(html).toContain("<h1>《小虾》&lt;教案&gt; &amp; &quot;同课&quot;</h1>");
    expect(html).toContain("@page { size: A4;");
    expect(html).not.toMatch(/<script|\bon\w+=|<link /i);
    expect(html).not.toMatch(/url\((?!data:)/);
  });

  it("escapes markup typed into the plan, drops unsafe links and pictures", async () => {
    const plan = planFixture({
      content: {
        type: "doc",
        content: [
          p("<script>alert('x')</script>"),
          p(
            text("点我", { type: "link", attrs: { href: "javascript:alert(1)" } }),
            text("资源", { type: "link", attrs: { href: SAFE_LINK } }),
          ),
          p(text("引号", { type: "link", attrs: { href: 'https://example.org/"><img src=x onerror=alert(1)>' } })),
          { type: "image", attrs: { src: "javascript:alert(1)", alt: "bad" } },
          { type: "image", attrs: { src: "data:image/svg+xml;base64,PHN2Zz4=", alt: "inline" } },
          { type: "image", attrs: { src: "//evil.example/x.png", alt: "protocol-relative" } },
          { type: "image", attrs: { src: "https://cdn.example.org/shrimp.png", alt: '小虾"图' } },
          { type: "image", attrs: { src: "/uploads/board.png", alt: "旧路径" } },
          { type: "image", attrs: { src: IMAGE_SRC, alt: "板书" } },
          { type: "image", attrs: { src: OTHER_PLAN_IMAGE_SRC, alt: "原教案的图" } },
        ],
      },
      images: new Map([[IMAGE_SRC, { data: Buffer.from("png-bytes"), type: "png", width: 10, height: 10 }]]),
    });
    const html = renderPrintHtml(plan, await translator("zh-CN"), { now: NOW });
    expect(html).toContain("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("javascript:");
    expect(html).toContain("<p>点我<a href");
    expect(html).toContain(`<a href="${SAFE_LINK}">资源</a>`);
    expect(html).toContain('<a href="https://example.org/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">引号</a>');
    expect(html).not.toContain("data:image/svg");
    expect(html).not.toContain("evil.example");
    // Only the app's own uploads are pictures; any other source leaves its alt text.
    expect(html).not.toContain("cdn.example.org");
    expect(html).toContain("<p>小虾&quot;图</p>");
    expect(html).not.toContain("/uploads/");
    expect(html).toContain("<p>旧路径</p>");
    // Pictures the caller has the bytes of are inlined, so the file prints offline; others link to the app.
    expect(html).toContain(`<img src="data:image/png;base64,${Buffer.from("png-bytes").toString("base64")}" alt="板书">`);
    expect(html).toContain(`<img src="${OTHER_PLAN_IMAGE_SRC}" alt="原教案的图">`);
  });

  it("renders the template: headings, marks, lists and the lesson process table with its header cells", async () => {
    const html = renderPrintHtml(planFixture(), await translator("zh-CN"), { now: NOW });
    expect(html).toContain("<h2>教材分析</h2>");
    expect(html).toContain("<h3>类乌齐县中学</h3>");
    expect(html).toContain("<strong>细致观察</strong>");
    expect(html).toContain("<em>有趣</em>");
    expect(html).toContain("<u>能够概括段落大意</u>");
    expect(html).toContain("<s>观察记录</s>");
    expect(html).toContain("<p>小虾<br>有趣 → 细致观察</p>");
    expect(html).toMatch(/<ol><li><p>认识“缸、吵”等 8 个生字/);
    expect(html).toContain("<ul><li><p>找出描写小虾动作的词语</p></li>");
    expect(html).toContain(`<thead><tr>${PROCESS_HEADERS.map((header) => `<th><p>${header}</p></th>`).join("")}</tr></thead>`);
    expect(html).toContain('<td rowspan="2"><p>一、导入</p></td>');
    expect(html).toContain('<td colspan="2"><p>二、精读</p></td>');
    expect(html).toContain("<blockquote><p>朗读评价：正确、流利、有感情。</p></blockquote>");
  });

  it("marks Tibetan runs and embeds the Tibetan font only when there is Tibetan text", async () => {
    const t = await translator("zh-CN");
    const html = renderPrintHtml(planFixture(), t, { now: NOW });
    expect(html).toContain(`<span lang="bo">${TIBETAN_GREETING}</span>`);
    expect(embeddedFaces(html).filter((f) => f.family === "Noto Serif Tibetan")).toHaveLength(1);
    expect(html).toMatch(/@font-face{font-family:"Noto Serif Tibetan";[^}]*src:url\(data:font\/woff2;base64,[A-Za-z0-9+/]{1000,}/);
    expect(html).toMatch(/:lang\(bo\) { font-family: "Noto Serif Tibetan"/);

    const chineseOnly = planFixture({ coauthors: ["王老师"], content: { type: "doc", content: [h(2, "教材分析"), p("小虾")] } });
    const withoutTibetan = renderPrintHtml(chineseOnly, t, { now: NOW });
    expect(embeddedFaces(withoutTibetan).map((f) => f.family)).not.toContain("Noto Serif Tibetan");
    expect(withoutTibetan).not.toContain('lang="bo"');
  });

  it("embeds exactly the Chinese font subsets the text needs", async () => {
    const only = embeddedFaces(embeddedFontFaces("教"));
    expect(only).toHaveLength(1);
    expect(covers(only[0].range, "教")).toBe(true);

    const english = planFixture({
      language: "en",
      title: "Lesson",
      subject: "Chinese",
      grade: "Grade 3",
      textbookUnit: "Unit 1",
      status: "Final",
      leadAuthor: "Li",
      coauthors: [],
      schools: ["Longshi", "Riwoche"],
      content: { type: "doc", content: [p("教")] },
    });
    const html = renderPrintHtml(english, await translator("en"), { now: NOW });
    const faces = expectSubsetsCoverExactly(html);
    expect(faces.some((f) => covers(f.range, "教"))).toBe(true);
    // The subset with 牦 (yak), a character the page doesn't have, is left out.
    const yak = packageRanges.find((range) => covers(range, "牦"))!;
    expect(Array.from(visibleText(html)).some((char) => covers(yak, char))).toBe(false);
    expect(faces.map((f) => f.range)).not.toContain(yak);
  });

  it("prints a full Chinese and Tibetan plan without a missing glyph", async () => {
    const html = renderPrintHtml(planFixture(), await translator("bo"), { now: NOW });
    expect(expectSubsetsCoverExactly(html).length).toBeLessThan(25);
    expect(embeddedFaces(html).filter((f) => f.family === "Noto Serif Tibetan")).toHaveLength(1);
  });

  it.each([
    [
      "zh-CN",
      [
        "学科",
        "年级",
        "教材单元",
        "课时",
        "2 课时",
        "主备教师",
        "协同备课教师",
        "扎西老师、王老师",
        "结对学校",
        "状态",
        "最后更新",
        "另存为 PDF",
        "导出自 同课 Tongke · 2026年12月1日 10:00",
      ],
    ],
    [
      "en",
      [
        "Subject",
        "Grade",
        "Textbook unit",
        "Periods",
        "2 periods",
        "Lead author",
        "Co-authors",
        "扎西老师, 王老师",
        "Paired schools",
        "Status",
        "Last updated",
        "Save as PDF",
        "Exported from Tongke 同课 on December 1, 2026",
      ],
    ],
    [
      "bo",
      [
        "སློབ་ཚན།",
        "འཛིན་རིམ།",
        "སློབ་དེབ་ཀྱི་ལེ་ཚན།",
        "ཐེངས་ 2",
        "གཙོ་འགན་དགེ་རྒན།",
        "མཉམ་བྲིས་དགེ་རྒན།",
        "ཆ་འགྲིག་སློབ་གྲྭ།",
        "གནས་སྟངས།",
        "PDF ལ་ཉར།",
        "ཕྱིར་འདྲེན་བྱས།",
      ],
    ],
  ] as const)("labels the details in the reader's language (%s)", async (locale, labels) => {
    const html = renderPrintHtml(planFixture(), await translator(locale), { now: NOW });
    // The plan is Chinese whoever reads it; Tibetan labels are marked as Tibetan inside it.
    expect(html).toContain('<html lang="zh-CN">');
    const visible = html.replace(/<span lang="bo">|<\/span>/g, "");
    for (const label of labels) expect(visible).toContain(label);
    expect(html).toMatch(/<p class="print-hint">/);
    expect(html).toMatch(/@media print {[^}]*}\s*\.print-hint { display: none; }/);
  });

  it("puts a Tibetan plan's whole page in Tibetan without per-run marks", async () => {
    const plan = planFixture({ language: "bo", title: TIBETAN_GREETING, content: { type: "doc", content: [p(TIBETAN_GREETING)] } });
    const html = renderPrintHtml(plan, await translator("bo"), { now: NOW });
    expect(html).toContain('<html lang="bo">');
    expect(html).toContain(`<h1>${TIBETAN_GREETING}</h1>`);
    expect(html).not.toContain('<span lang="bo">');
  });
});

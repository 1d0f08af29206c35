import { strFromU8, unzipSync } from "fflate";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { createI18n } from "~/i18n/client";
import { resourcesFor } from "~/i18n/resources.server";
import { renderDocx } from "./export/docx.server";
import { renderPrintHtml } from "./export/print-html.server";
import { planFixture, translator } from "./export/test-fixture";
import { PlanContent } from "./plan-content";
import type { PlanNode } from "./plan-json";
import { PLAN_LIMITS } from "./plan-rules";
import { MALFORMED, UNKNOWN_CONTENT, rawYDoc } from "./poison-plans";
import { renderPlanHtml } from "./render.server";
import { PLAN_FRAGMENT } from "./safety";
import { fragmentToJson } from "./yjs-json";

const UNSUPPORTED = "[无法显示的内容]";

const i18n = createI18n("zh-CN", resourcesFor("zh-CN"));
const react = (doc: PlanNode) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <PlanContent doc={doc} />
    </I18nextProvider>,
  );

/** Each renderer, as text a test can search: HTML, or the .docx's document.xml. */
const RENDERERS: Record<string, (doc: PlanNode) => Promise<string>> = {
  "read view (renderPlanHtml)": async (doc) => renderPlanHtml(doc, { unsupported: UNSUPPORTED }),
  "classroom live plan (PlanContent)": async (doc) => react(doc),
  "classroom live plan from Yjs (fragmentToJson → PlanContent)": async (doc) =>
    react(fragmentToJson(rawYDoc(doc).getXmlFragment(PLAN_FRAGMENT))),
  "print HTML": async (doc) => renderPrintHtml(planFixture({ content: doc }), await translator("zh-CN")),
  ".docx": async (doc) =>
    strFromU8(unzipSync(new Uint8Array(await renderDocx(planFixture({ content: doc }), await translator("zh-CN"))))["word/document.xml"]),
};

const timed = async (render: () => Promise<string>) => {
  const started = performance.now();
  const output = await render();
  return { output, ms: performance.now() - started };
};

/** Every colspan/rowspan the output declares, in any of the renderers' syntaxes. */
const spans = (output: string) =>
  [...output.matchAll(/(?:colspan|rowspan|colSpan|rowSpan)="(\d+)"|<w:gridSpan w:val="(\d+)"/g)].map((m) => Number(m[1] ?? m[2]));

describe.each(Object.entries(RENDERERS))("%s", (_name, render) => {
  it.each(Object.entries(UNKNOWN_CONTENT))("shows %s as the placeholder, quickly", async (poison, doc) => {
    const { output, ms } = await timed(() => render(doc));
    expect(ms).toBeLessThan(1000);
    expect(output).toContain(UNSUPPORTED);
    expect(output).toContain("教学目标");
    expect(output).not.toMatch(/<script|<iframe|evil\.example|<pre/);
    if (poison === "script") expect(output).toContain("alert(1)"); // as text, escaped
  });

  it.each(Object.entries(MALFORMED))("renders %s within the limits, quickly", async (poison, doc) => {
    const { output, ms } = await timed(() => render(doc));
    expect(ms).toBeLessThan(1000);
    expect(output).toContain("教学目标");
    // The poisoned table is two columns and two rows wide.
    for (const span of spans(output)) expect(span).toBeLessThanOrEqual(2);
    if (poison === "too many images") expect(output.split("<img").length - 1).toBeLessThanOrEqual(PLAN_LIMITS.images);
    if (poison === "unknown mark") expect(output).toContain("高亮");
    if (poison === "top-level text") expect(output).toContain("没有段落的文字");
    if (poison === "deep nesting") expect(output).toContain("最深处");
    if (poison === "giant colspan") expect(output).toContain("环节");
  });
});

describe("a renderer that fails", () => {
  it("shows the placeholder instead of throwing", async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      // A getter that throws stands for any bug the normalizer does not foresee.
      const hostile = {
        type: "doc",
        get content(): never {
          throw new Error("boom");
        },
      };
      expect(renderPlanHtml(hostile, { unsupported: UNSUPPORTED })).toBe(`<p class="plan-unsupported">${UNSUPPORTED}</p>`);
      expect(renderPrintHtml(planFixture({ content: hostile }), await translator("zh-CN"))).toContain(
        `<p class="unsupported">${UNSUPPORTED}</p>`,
      );
      const docx = await renderDocx(planFixture({ content: hostile }), await translator("zh-CN"));
      expect(strFromU8(unzipSync(new Uint8Array(docx))["word/document.xml"])).toContain(UNSUPPORTED);
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(3);
  });
});

describe("the placeholder", () => {
  it.each([
    ["en", "[Content that cannot be shown]"],
    ["bo", "[སྟོན་མི་ཐུབ་པའི་ནང་དོན།]"],
  ] as const)("is in the reader's language (%s)", async (locale, label) => {
    const html = renderPrintHtml(planFixture({ content: UNKNOWN_CONTENT.codeBlock }), await translator(locale));
    expect(html.replace(/<span lang="bo">|<\/span>/g, "")).toContain(label);
  });
});

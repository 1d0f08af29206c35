import type { ReactElement } from "react";
import { renderToStaticMarkup as renderBare } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createI18n } from "~/i18n/client";
import { resourcesFor } from "~/i18n/resources.server";
import { jsonFromYDoc, yDocFromJson } from "./document.server";
import { PlanContent } from "./plan-content";
import { renderPlanHtml } from "./render.server";
import { PLAN_FRAGMENT } from "./safety";
import { fragmentToJson, type PlanNode } from "./yjs-json";

const IMAGE = "/lesson-plans/0b9c2f4e-1c1d-4a55-9f7e-2d3c4b5a6978/images/3f1e8a2b-7c4d-4e5f-9a0b-1c2d3e4f5a6b.png";

/** Every node and mark the plan's schema has, in Chinese and Tibetan. */
const PLAN: PlanNode = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "教材分析" }] },
    {
      type: "paragraph",
      content: [
        { type: "text", text: "《秋天的雨》" },
        { type: "text", text: "是一篇", marks: [{ type: "bold" }, { type: "italic" }] },
        { type: "text", text: "散文", marks: [{ type: "link", attrs: { href: "https://example.com/雨" } }] },
        { type: "hardBreak" },
        { type: "text", text: "བཀྲ་ཤིས་བདེ་ལེགས།", marks: [{ type: "underline" }] },
        { type: "text", text: "危险", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] },
      ],
    },
    { type: "heading", attrs: { level: 3 }, content: [{ type: "text", text: "重点" }] },
    { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "朗读" }] }] }] },
    {
      type: "orderedList",
      attrs: { start: 3 },
      content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "第三步" }] }] }],
    },
    {
      type: "table",
      content: [
        {
          type: "tableRow",
          content: [
            { type: "tableHeader", attrs: { colspan: 2 }, content: [{ type: "paragraph", content: [{ type: "text", text: "环节" }] }] },
          ],
        },
        {
          type: "tableRow",
          content: [
            { type: "tableCell", content: [{ type: "paragraph", content: [{ type: "text", text: "导入" }] }] },
            { type: "tableCell", content: [{ type: "paragraph", content: [{ type: "text", text: "远端课堂" }] }] },
          ],
        },
      ],
    },
    { type: "image", attrs: { src: IMAGE, alt: "板书" } },
    { type: "image", attrs: { src: "https://tracker.example/x.png", alt: "外链图" } },
    { type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "引用" }] }] },
    { type: "horizontalRule" },
  ],
};

const i18n = createI18n("zh-CN", resourcesFor("zh-CN"));
const renderToStaticMarkup = (element: ReactElement) => renderBare(<I18nextProvider i18n={i18n}>{element}</I18nextProvider>);

const fragmentOf = (json: PlanNode) => yDocFromJson(json as never).getXmlFragment(PLAN_FRAGMENT);

/**
 * The elements in document order and the text, attributes aside: what a reader gets. (tiptap
 * adds tbody and a colgroup of column widths, which say nothing to a reader.)
 */
function shape(html: string) {
  const tags = [...html.matchAll(/<([a-z0-9]+)[\s>/]/g)].map((m) => m[1]).filter((t) => !["tbody", "colgroup", "col"].includes(t));
  const text = html.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&");
  return { tags, text };
}

describe("fragmentToJson", () => {
  it("reads a plan's Yjs fragment as the same JSON as tiptap's own transformer", () => {
    const doc = yDocFromJson(PLAN as never);
    expect(fragmentToJson(doc.getXmlFragment(PLAN_FRAGMENT))).toEqual(jsonFromYDoc(doc));
  });

  it("follows live edits: text typed into a cell, a formatted run", () => {
    const doc = yDocFromJson(PLAN as never);
    const fragment = doc.getXmlFragment(PLAN_FRAGMENT);
    const paragraph = fragment.get(3) as Y.XmlElement; // the bullet list
    const text = ((paragraph.get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(2, "课文", { bold: {} });
    expect(fragmentToJson(fragment)).toEqual(jsonFromYDoc(doc));
    expect(JSON.stringify(fragmentToJson(fragment))).toContain('"text":"课文","marks":[{"type":"bold","attrs":{}}]');
  });

  it("an empty document is an empty doc", () => {
    expect(fragmentToJson(new Y.Doc().getXmlFragment(PLAN_FRAGMENT))).toEqual({ type: "doc", content: [] });
  });
});

describe("PlanContent", () => {
  it("renders what the server's renderer renders: the same elements and text", () => {
    const live = renderToStaticMarkup(<PlanContent doc={fragmentToJson(fragmentOf(PLAN))} />);
    expect(shape(live)).toEqual(shape(renderPlanHtml(PLAN as never, { unsupported: "[?]" })));
  });

  it("keeps unsafe links and images out", () => {
    const html = renderToStaticMarkup(<PlanContent doc={fragmentToJson(fragmentOf(PLAN))} />);
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("tracker.example");
    expect(html).toContain(`<img src="${IMAGE}" alt="板书"/>`);
    expect(html).toContain('<th colSpan="2">');
    expect(html).toContain('<ol start="3">');
    expect(html).toContain('<a href="https://example.com/雨" target="_blank" rel="noopener noreferrer nofollow">散文</a>');
  });
});

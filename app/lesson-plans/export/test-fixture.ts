import type { JSONContent } from "@tiptap/core";
import type { TFunction } from "i18next";
import type { Locale } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { lessonPlanImageSrc } from "~/storage/lesson-plan-images";
import type { PlanForExport } from "./types";

export const TIBETAN_GREETING = "བཀྲ་ཤིས་བདེ་ལེགས།";
export const SAFE_LINK = "https://www.zxx.edu.cn/syncClassroom/xiaoxia";
/** An upload of the plan, and one of another plan (an adaptation keeps its base plan's pictures). */
export const IMAGE_SRC = lessonPlanImageSrc("0b9c2f4e-1c1d-4a55-9f7e-2d3c4b5a6978", "6d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d.png");
export const OTHER_PLAN_IMAGE_SRC = lessonPlanImageSrc("99999999-2222-4333-8444-555555555555", "3f1e8a2b-7c4d-4e5f-9a0b-1c2d3e4f5a6b.jpg");

/** The real planExport strings, through the app's own i18next instance. */
export async function translator(locale: Locale): Promise<TFunction> {
  return (await i18nServer.getFixedT(locale, "planExport" as never)) as unknown as TFunction;
}

type Mark = NonNullable<JSONContent["marks"]>[number];
export const text = (value: string, ...marks: Mark[]): JSONContent => ({ type: "text", text: value, ...(marks.length ? { marks } : {}) });
export const p = (...content: (JSONContent | string)[]): JSONContent => ({
  type: "paragraph",
  content: content.map((c) => (typeof c === "string" ? text(c) : c)),
});
export const h = (level: 2 | 3, value: string): JSONContent => ({ type: "heading", attrs: { level }, content: [text(value)] });
const item = (value: string | JSONContent[]): JSONContent => ({
  type: "listItem",
  content: typeof value === "string" ? [p(value)] : value,
});
export const ul = (...items: (string | JSONContent[])[]): JSONContent => ({ type: "bulletList", content: items.map(item) });
export const ol = (...items: (string | JSONContent[])[]): JSONContent => ({
  type: "orderedList",
  attrs: { start: 1 },
  content: items.map(item),
});
const cell = (type: "tableHeader" | "tableCell", value: string, attrs: Record<string, unknown> = {}): JSONContent => ({
  type,
  attrs: { colspan: 1, rowspan: 1, colwidth: null, ...attrs },
  content: [p(value)],
});
export const th = (value: string, attrs?: Record<string, unknown>) => cell("tableHeader", value, attrs);
export const td = (value: string, attrs?: Record<string, unknown>) => cell("tableCell", value, attrs);
export const tr = (...cells: JSONContent[]): JSONContent => ({ type: "tableRow", content: cells });

export const PROCESS_HEADERS = ["环节", "时间", "主讲教师", "本地学生", "远端课堂", "设计意图"];

/** A third-grade Chinese lesson taught jointly by a Hechuan and a Riwoche school, the template filled in. */
export function planContent(): JSONContent {
  return {
    type: "doc",
    content: [
      h(2, "教材分析"),
      p(
        "《小虾》是部编版三年级下册第一单元的一篇精读课文，作者通过",
        text("细致观察", { type: "bold" }),
        "写出了小虾的",
        text("有趣", { type: "italic" }),
        "。",
      ),
      h(2, "学情分析"),
      h(3, "合川区龙市镇中心小学"),
      p(
        "学生已掌握默读方法，",
        text("能够概括段落大意", { type: "underline" }),
        "，但",
        text("观察记录", { type: "strike" }),
        "习惯尚未养成。",
      ),
      h(3, "类乌齐县中学"),
      p("学生以藏语为母语，课前用藏语问候：", TIBETAN_GREETING, "（扎西德勒）。"),
      h(2, "教学目标"),
      ol("认识“缸、吵”等 8 个生字，会写“虾、缸”等 13 个字。", "有感情地朗读课文。", [
        p("体会作者观察的细致："),
        ul("找出描写小虾动作的词语", "仿写一段观察日记"),
      ]),
      h(2, "教学重点"),
      p("了解小虾的特点。"),
      h(2, "教学难点"),
      p("学习作者细致观察的方法。"),
      h(2, "教学准备"),
      ul("课件、活虾一缸", [p("国家中小学智慧教育平台的", text("同步课堂", { type: "link", attrs: { href: SAFE_LINK } }), "资源")]),
      h(2, "教学过程"),
      {
        type: "table",
        content: [
          tr(...PROCESS_HEADERS.map((header) => th(header))),
          tr(
            td("一、导入", { rowspan: 2 }),
            td("5 分钟"),
            td("播放小虾视频"),
            td("观看并说出感受"),
            td("同步观看，用藏语或汉语回答"),
            td("激发兴趣"),
          ),
          tr(td("3 分钟"), td("出示课题"), td("齐读课题"), td("齐读课题"), td("两地互动")),
          tr(td("二、精读", { colspan: 2 }), td("引导圈画动词"), td("小组合作"), td("远端小组汇报"), td("学习观察方法")),
        ],
      },
      h(2, "板书设计"),
      p("小虾", { type: "hardBreak" }, "有趣 → 细致观察"),
      h(2, "作业布置"),
      ol("观察一种小动物，写一段话。"),
      h(2, "评价设计"),
      { type: "blockquote", content: [p("朗读评价：正确、流利、有感情。")] },
      h(2, "教学反思"),
      { type: "horizontalRule" },
      p(""),
    ],
  };
}

export function planFixture(overrides: Partial<PlanForExport> = {}): PlanForExport {
  return {
    title: "三年级语文《小虾》同课教案",
    language: "zh-CN",
    subject: "语文",
    grade: "三年级",
    textbookUnit: "第一单元",
    periods: 2,
    status: "定稿",
    leadAuthor: "李老师",
    coauthors: ["扎西老师", "王老师"],
    schools: ["合川区龙市镇中心小学", "类乌齐县中学"],
    updatedAt: new Date("2026-11-28T16:50:00Z"),
    content: planContent(),
    ...overrides,
  };
}

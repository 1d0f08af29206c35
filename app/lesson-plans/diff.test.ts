import type { JSONContent } from "@tiptap/core";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createI18n } from "~/i18n/client";
import type { Locale } from "~/i18n/config";
import en from "../../public/locales/en/planDiff.json";
import zh from "../../public/locales/zh-CN/planDiff.json";
import { blocksOf, diffPlans, tokenize, type BlockDiff, type PlanDiff } from "./diff";
import { PlanDiffView } from "./plan-diff";

const text = (value: string) => [{ type: "text", text: value }];
const doc = (...content: JSONContent[]): JSONContent => ({ type: "doc", content });
const h2 = (value: string): JSONContent => ({ type: "heading", attrs: { level: 2 }, content: text(value) });
const h3 = (value: string): JSONContent => ({ type: "heading", attrs: { level: 3 }, content: text(value) });
const p = (value = ""): JSONContent => (value ? { type: "paragraph", content: text(value) } : { type: "paragraph" });
const list = (type: "bulletList" | "orderedList", ...items: string[]): JSONContent => ({
  type,
  content: items.map((item) => ({ type: "listItem", content: [p(item)] })),
});
const cell = (type: "tableHeader" | "tableCell", value: string): JSONContent => ({
  type,
  attrs: { colspan: 1, rowspan: 1 },
  content: [p(value)],
});
const table = (header: string[], ...rows: string[][]): JSONContent => ({
  type: "table",
  content: [
    { type: "tableRow", content: header.map((c) => cell("tableHeader", c)) },
    ...rows.map((row) => ({ type: "tableRow", content: row.map((c) => cell("tableCell", c)) })),
  ],
});
const image = (src: string, alt: string): JSONContent => ({ type: "image", attrs: { src, alt, title: null } });

const COLUMNS = ["环节", "时间", "主讲教师", "本地学生", "远端课堂", "设计意图"];
const INTRO = ["导入", "5分钟", "出示课文插图", "观察插图", "同步观察", "激发兴趣"];
const NEW_LESSON = ["新授", "20分钟", "范读课文", "跟读", "跟读并提问", "读准字音"];

function basePlan(): JSONContent {
  return doc(
    p("《春晓》教案"),
    h2("教材分析"),
    p("本课是一首五言绝句，描写春天早晨的景色。"),
    h2("学情分析"),
    h3("城区学校"),
    p("学生已会背诵多首古诗。"),
    h2("教学目标"),
    list("orderedList", "学生能够朗读课文", "认识“晓、眠”等生字", "体会诗人对春天的喜爱"),
    h2("教学过程"),
    table(COLUMNS, INTRO, NEW_LESSON),
    h2("板书设计"),
    image("/uploads/board.png", "板书：春晓 — 春眠、啼鸟、风雨、花落"),
  );
}

/** The base plan with the blocks at the given top-level positions replaced. */
function adapted(replace: Record<number, JSONContent | JSONContent[] | null>, extra: JSONContent[] = []): JSONContent {
  const content = basePlan().content!.flatMap((node, i) =>
    i in replace ? (replace[i] === null ? [] : ([] as JSONContent[]).concat(replace[i]!)) : [node],
  );
  return doc(...content, ...extra);
}

const changes = (diff: PlanDiff) =>
  diff.sections.flatMap((s) => [s.title, ...s.blocks]).filter((e): e is BlockDiff => e !== null && e.kind !== "same");
const section = (diff: PlanDiff, heading: string) => diff.sections.find((s) => s.heading === heading)!;

describe("tokenize", () => {
  it("splits Chinese by character, keeps Latin words and numbers whole, Tibetan by syllable", () => {
    expect(tokenize("朗读课文")).toEqual(["朗", "读", "课", "文"]);
    expect(tokenize("Read the poem, 3 times.")).toEqual(["Read", " ", "the", " ", "poem", ",", " ", "3", " ", "times", "."]);
    expect(tokenize("读poem两遍")).toEqual(["读", "poem", "两", "遍"]);
    expect(tokenize("བཀྲ་ཤིས་བདེ་ལེགས། ཡིན།")).toEqual(["བཀྲ་", "ཤིས་", "བདེ་", "ལེགས།", " ", "ཡིན།"]);
    expect(tokenize("ཀློག")).toEqual(["ཀློག"]);
    expect(tokenize("").length).toBe(0);
  });
});

describe("diffPlans", () => {
  it("finds nothing between identical plans and folds every section", () => {
    const diff = diffPlans(basePlan(), basePlan());
    expect(diff.stats).toEqual({ added: 0, removed: 0, changed: 0, unchanged: blocksOf(basePlan()).length });
    expect(diff.sections.map((s) => [s.heading, s.status])).toEqual([
      [null, "same"],
      ["教材分析", "same"],
      ["学情分析", "same"],
      ["教学目标", "same"],
      ["教学过程", "same"],
      ["板书设计", "same"],
    ]);
    expect(section(diff, "学情分析").blocks.map((e) => e.kind === "same" && e.block.text)).toEqual(["城区学校", "学生已会背诵多首古诗。"]);
  });

  it("shows an edited Chinese sentence character by character", () => {
    const diff = diffPlans(
      basePlan(),
      adapted({ 7: list("orderedList", "学生能够流利地朗读课文", "认识“晓、眠”等生字", "体会诗人对春天的喜爱") }),
    );
    expect(diff.stats).toMatchObject({ added: 0, removed: 0, changed: 1 });
    expect(section(diff, "教学目标").status).toBe("changed");
    expect(changes(diff)).toEqual([
      {
        kind: "changed",
        before: { type: "listItem", marker: "1.", depth: 0, text: "学生能够朗读课文" },
        after: { type: "listItem", marker: "1.", depth: 0, text: "学生能够流利地朗读课文" },
        runs: [
          { op: "same", text: "学生能够" },
          { op: "ins", text: "流利地" },
          { op: "same", text: "朗读课文" },
        ],
      },
    ]);
  });

  it("replaces Latin words whole and folds a lone kept character into a rewritten Chinese phrase", () => {
    const english = diffPlans(doc(p("Read the text aloud twice")), doc(p("Read a poem aloud twice")));
    expect(changes(english)).toMatchObject([
      {
        kind: "changed",
        runs: [
          { op: "same", text: "Read " },
          { op: "del", text: "the text" },
          { op: "ins", text: "a poem" },
          { op: "same", text: " aloud twice" },
        ],
      },
    ]);
    const chinese = diffPlans(doc(p("我们今天学习古诗")), doc(p("同学们明天复习古诗")));
    expect(changes(chinese)).toMatchObject([
      {
        kind: "changed",
        runs: [
          { op: "del", text: "我们今天学" },
          { op: "ins", text: "同学们明天复" },
          { op: "same", text: "习古诗" },
        ],
      },
    ]);
  });

  it("shows Tibetan edits as whole syllables, never half a stack", () => {
    const before = doc(h2("སློབ་ཁྲིད་ཀྱི་དམིགས་ཡུལ།"), p("སློབ་མས་དཔེ་དེབ་ཀློག་དགོས།"));
    const after = doc(h2("སློབ་ཁྲིད་ཀྱི་དམིགས་ཡུལ།"), p("སློབ་མས་དཔེ་དེབ་སྐད་གསལ་པོས་བཀློག་དགོས།"));
    const diff = diffPlans(before, after);
    expect(section(diff, "སློབ་ཁྲིད་ཀྱི་དམིགས་ཡུལ།").status).toBe("changed");
    expect(changes(diff)).toMatchObject([
      {
        kind: "changed",
        runs: [
          { op: "same", text: "སློབ་མས་དཔེ་དེབ་" },
          { op: "del", text: "ཀློག་" },
          { op: "ins", text: "སྐད་གསལ་པོས་བཀློག་" },
          { op: "same", text: "དགོས།" },
        ],
      },
    ]);
  });

  it("marks a section the adaptation added, heading and all", () => {
    const diff = diffPlans(basePlan(), adapted({}, [h2("拓展阅读"), p("课后阅读《春夜喜雨》。")]));
    expect(diff.stats).toMatchObject({ added: 2, removed: 0, changed: 0 });
    expect(diff.sections.at(-1)).toEqual({
      heading: "拓展阅读",
      title: { kind: "added", block: { type: "heading", level: 2, text: "拓展阅读" } },
      status: "added",
      blocks: [{ kind: "added", block: { type: "paragraph", text: "课后阅读《春夜喜雨》。" } }],
    });
    expect(diff.sections.slice(0, -1).every((s) => s.status === "same")).toBe(true);
  });

  it("marks a removed list item without counting the renumbered items after it as changes", () => {
    const diff = diffPlans(basePlan(), adapted({ 7: list("orderedList", "学生能够朗读课文", "体会诗人对春天的喜爱") }));
    expect(diff.stats).toMatchObject({ added: 0, removed: 1, changed: 0 });
    expect(section(diff, "教学目标").blocks).toEqual([
      { kind: "same", block: { type: "listItem", marker: "1.", depth: 0, text: "学生能够朗读课文" } },
      { kind: "removed", block: { type: "listItem", marker: "2.", depth: 0, text: "认识“晓、眠”等生字" } },
      { kind: "same", block: { type: "listItem", marker: "2.", depth: 0, text: "体会诗人对春天的喜爱" } },
    ]);
  });

  it("shows a rewritten paragraph as removed and added rather than as a jumble of edits", () => {
    const diff = diffPlans(basePlan(), adapted({ 3: p("借助插图理解诗意，感受季节变化。") }));
    expect(changes(diff).map((e) => e.kind)).toEqual(["removed", "added"]);
  });

  it("pairs an edited paragraph with its own edit when new paragraphs were written before it", () => {
    const diff = diffPlans(
      doc(h2("教材分析"), p("本课是一首五言绝句，描写春天早晨的景色。")),
      doc(h2("教材分析"), p("《春晓》选自部编版一年级下册。"), p("本课是一首五言绝句，描写春天早晨雨后的景色。")),
    );
    expect(changes(diff)).toMatchObject([
      { kind: "added", block: { text: "《春晓》选自部编版一年级下册。" } },
      {
        kind: "changed",
        runs: [
          { op: "same", text: "本课是一首五言绝句，描写春天早晨" },
          { op: "ins", text: "雨后" },
          { op: "same", text: "的景色。" },
        ],
      },
    ]);
  });

  it("shows a changed table cell as a changed row, cell by cell", () => {
    const diff = diffPlans(
      basePlan(),
      adapted({ 9: table(COLUMNS, INTRO, ["新授", "20分钟", "范读课文", "跟读", "远端学生领读", "读准字音"]) }),
    );
    expect(diff.stats).toMatchObject({ added: 0, removed: 0, changed: 1, unchanged: blocksOf(basePlan()).length - 1 });
    const [row] = changes(diff);
    expect(row).toMatchObject({
      kind: "changed",
      before: { type: "tableRow", header: false, cells: NEW_LESSON, text: NEW_LESSON.join(" | ") },
      after: { type: "tableRow", header: false, text: "新授 | 20分钟 | 范读课文 | 跟读 | 远端学生领读 | 读准字音" },
    });
    expect(row.kind === "changed" && row.cells?.[4]).toEqual([
      { op: "del", text: "跟读并提问" },
      { op: "ins", text: "远端学生领读" },
    ]);
    expect(row.kind === "changed" && row.cells?.[0]).toEqual([{ op: "same", text: "新授" }]);
    expect(section(diff, "教学过程").blocks.map((e) => e.kind)).toEqual(["same", "same", "changed"]);
  });

  it("fills an empty template row as a change of that row", () => {
    const empty = ["练习", "", "", "", "", ""];
    const filled = ["练习", "10分钟", "出示练习题", "独立完成", "连线作答", "巩固生字"];
    const diff = diffPlans(doc(table(COLUMNS, empty)), doc(table(COLUMNS, filled)));
    const [row] = changes(diff);
    expect(row.kind).toBe("changed");
    expect(row.kind === "changed" && row.cells?.slice(0, 2)).toEqual([[{ op: "same", text: "练习" }], [{ op: "ins", text: "10分钟" }]]);
  });

  it("compares images by their source and description", () => {
    const described = diffPlans(basePlan(), adapted({ 11: image("/uploads/board.png", "板书：春晓 — 春眠、啼鸟") }));
    expect(changes(described)).toMatchObject([
      {
        kind: "changed",
        after: { type: "image", text: "[image: 板书：春晓 — 春眠、啼鸟]" },
        runs: [{ op: "same" }, { op: "del", text: "、风雨、花落" }],
      },
    ]);
    const replaced = diffPlans(basePlan(), adapted({ 11: image("/uploads/board-2.png", "板书：春晓 — 春眠、啼鸟、风雨、花落") }));
    expect(changes(replaced)).toMatchObject([{ kind: "changed", runs: [{ op: "del" }, { op: "ins" }] }]);
    const added = diffPlans(basePlan(), adapted({}, [image("/uploads/poem.jpg", "诗意图")]));
    expect(changes(added)).toEqual([
      { kind: "added", block: { type: "image", src: "/uploads/poem.jpg", alt: "诗意图", text: "[image: 诗意图]" } },
    ]);
  });

  it("handles empty documents and documents without content", () => {
    expect(diffPlans(doc(), { type: "doc" })).toEqual({ sections: [], stats: { added: 0, removed: 0, changed: 0, unchanged: 0 } });
    expect(diffPlans(doc(p(), p("  ")), doc()).sections).toEqual([]);
    const fromEmpty = diffPlans(doc(), basePlan());
    expect(fromEmpty.stats).toEqual({ added: blocksOf(basePlan()).length, removed: 0, changed: 0, unchanged: 0 });
    expect(fromEmpty.sections.every((s) => s.status === "added")).toBe(true);
    expect(diffPlans(basePlan(), doc()).sections.every((s) => s.status === "removed")).toBe(true);
  });

  it("keeps nested list items, blockquotes and hard breaks as blocks of their own", () => {
    const nested: JSONContent = {
      type: "bulletList",
      content: [{ type: "listItem", content: [p("朗读"), list("orderedList", "齐读", "指名读")] }],
    };
    const quote: JSONContent = {
      type: "blockquote",
      content: [{ type: "paragraph", content: [...text("春眠不觉晓"), { type: "hardBreak" }, ...text("处处闻啼鸟")] }],
    };
    expect(blocksOf(doc(nested, quote))).toEqual([
      { type: "listItem", marker: "•", depth: 0, text: "朗读" },
      { type: "listItem", marker: "1.", depth: 1, text: "齐读" },
      { type: "listItem", marker: "2.", depth: 1, text: "指名读" },
      { type: "paragraph", text: "春眠不觉晓\n处处闻啼鸟", quoted: true },
    ]);
  });

  it("is plain JSON, as a loader sends it", () => {
    const diff = diffPlans(basePlan(), adapted({ 7: list("orderedList", "学生能够流利地朗读课文") }, [h2("拓展阅读")]));
    expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
  });
});

describe("PlanDiffView", () => {
  afterEach(() => vi.restoreAllMocks());

  const render = (diff: PlanDiff, locale: Locale = "en", strings: object = en) => {
    const i18n = createI18n(locale, { planDiff: strings });
    return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(PlanDiffView, { diff })));
  };

  it("marks insertions and deletions for eyes and ears, folds unchanged sections and counts with plurals", () => {
    const consoleError = vi.spyOn(console, "error");
    const diff = diffPlans(
      basePlan(),
      adapted({ 7: list("orderedList", "学生能够流利地朗读课文", "体会诗人对春天的喜爱") }, [h2("拓展阅读"), p("课后阅读《春夜喜雨》。")]),
    );
    const html = render(diff);
    expect(html).toContain("<li>1 paragraph changed</li>");
    expect(html).toContain("<li>2 paragraphs added</li>");
    expect(html).toContain("<li>1 paragraph removed</li>");
    expect(html).toContain(
      '<span class="visually-hidden" lang="en">Changed: </span>学生能够<ins class="plan-diff__ins"><span class="visually-hidden" lang="en">Added: </span>流利地</ins>朗读课文',
    );
    expect(html).toContain('<del class="plan-diff__del"><span class="visually-hidden" lang="en">Removed: </span>认识“晓、眠”等生字</del>');
    expect(html).toMatch(
      /<h3 id="[^"]+" class="plan-diff__heading"><span lang="zh-CN">教材分析<\/span><\/h3><details class="plan-diff__folded"><summary>Unchanged \(1 paragraph\)<\/summary>/,
    );
    expect(html).toMatch(/<summary>Unchanged \(2 paragraphs\)<\/summary>/);
    expect(html).toMatch(
      /<h3 [^>]+><span lang="zh-CN"><ins class="plan-diff__ins">.*?拓展阅读<\/ins><\/span><span class="badge plan-diff__badge plan-diff__badge--added">New section<\/span><\/h3>/,
    );
    expect(html.match(/<details/g)).toHaveLength(5);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it("shows table rows as a table, marking the changed row and the changed cell", () => {
    const diff = diffPlans(
      basePlan(),
      adapted({ 9: table(COLUMNS, INTRO, ["新授", "20分钟", "范读课文", "跟读", "远端学生领读", "读准字音"]) }),
    );
    const html = render(diff);
    expect(html).toContain(
      '<th scope="col" class="plan-diff__mark-cell"><span aria-hidden="true"></span><span class="visually-hidden" lang="en">Change </span></th><th scope="col">环节</th>',
    );
    expect(html).toMatch(
      /<tr class="plan-diff__row plan-diff__row--changed" lang="zh-CN"><td class="plan-diff__mark-cell"><span aria-hidden="true">~<\/span><span [^>]+>Changed row <\/span><\/td><td>新授<\/td>.*?<td><del class="plan-diff__del"><span [^>]+>Removed: <\/span>跟读并提问<\/del><ins class="plan-diff__ins"><span [^>]+>Added: <\/span>远端学生领读<\/ins><\/td>/,
    );
  });

  it("says so when nothing changed, in the reader's language", () => {
    const html = render(diffPlans(basePlan(), basePlan()), "zh-CN", zh);
    expect(html).toContain("这份复备与原教案相比没有改动。");
    expect(html).toContain("<summary>未改动（2 段）</summary>");
    expect(html).not.toContain("<ins");
  });
});

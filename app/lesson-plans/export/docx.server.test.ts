import fs from "node:fs";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { renderDocx } from "./docx.server";
import { woffToSfnt } from "./woff.server";
import {
  IMAGE_SRC,
  OTHER_PLAN_IMAGE_SRC,
  PROCESS_HEADERS,
  SAFE_LINK,
  TIBETAN_GREETING,
  p,
  planFixture,
  text,
  translator,
} from "./test-fixture";

const NOW = new Date("2026-12-01T02:00:00Z");
// A 1×1 PNG; the sizes given with it are what the export scales.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

async function unpack(buffer: Buffer) {
  const files = unzipSync(new Uint8Array(buffer));
  const xml = (name: string) => strFromU8(files[name]);
  return { files, xml, document: xml("word/document.xml") };
}

/** The top-level elements of one kind in a piece of WordprocessingML, outermost only. */
function elements(xml: string, tag: string): string[] {
  const found: string[] = [];
  const open = new RegExp(`<${tag}[ >]|</${tag}>`, "g");
  let depth = 0;
  let start = 0;
  for (const match of xml.matchAll(open)) {
    if (match[0].startsWith("</")) {
      if (--depth === 0) found.push(xml.slice(start, match.index + match[0].length));
    } else if (depth++ === 0) start = match.index;
  }
  return found;
}

const textOf = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");

describe("the Word export", () => {
  it("has the title, the details in the reader's language and the template's headings", async () => {
    const { document, xml } = await unpack(await renderDocx(planFixture(), await translator("zh-CN"), { now: NOW }));
    const paragraphs = elements(document, "w:p");
    const title = paragraphs.find((para) => para.includes('<w:pStyle w:val="Title"/>'))!;
    expect(textOf(title)).toBe("三年级语文《小虾》同课教案");
    const details = elements(document, "w:tbl")[0];
    expect(elements(details, "w:tr").map((row) => elements(row, "w:tc").map(textOf))).toEqual([
      ["学科", "语文"],
      ["年级", "三年级"],
      ["教材单元", "第一单元"],
      ["课时", "2 课时"],
      ["主备教师", "李老师"],
      ["协同备课教师", "扎西老师、王老师"],
      ["结对学校", "合川区龙市镇中心小学、类乌齐县中学"],
      ["状态", "定稿"],
      ["最后更新", "2026年11月29日 00:50"],
    ]);
    const headings = (level: number) => paragraphs.filter((para) => para.includes(`<w:pStyle w:val="Heading${level}"/>`)).map(textOf);
    expect(headings(2)).toEqual([
      "教材分析",
      "学情分析",
      "教学目标",
      "教学重点",
      "教学难点",
      "教学准备",
      "教学过程",
      "板书设计",
      "作业布置",
      "评价设计",
      "教学反思",
    ]);
    expect(headings(3)).toEqual(["合川区龙市镇中心小学", "类乌齐县中学"]);
    expect(textOf(xml("word/footer1.xml"))).toContain("导出自 同课 Tongke · 2026年12月1日 10:00");
    expect(xml("docProps/core.xml")).toContain("<dc:title>三年级语文《小虾》同课教案</dc:title>");
  });

  it("keeps bold, italic, underline, strike and line breaks", async () => {
    const { document } = await unpack(await renderDocx(planFixture(), await translator("en"), { now: NOW }));
    const run = (value: string) => elements(document, "w:r").find((r) => textOf(r) === value)!;
    expect(run("细致观察")).toContain("<w:b/>");
    expect(run("有趣")).toContain("<w:i/>");
    expect(run("能够概括段落大意")).toMatch(/<w:u w:val="single"\/>/);
    expect(run("观察记录")).toContain("<w:strike/>");
    const board = elements(document, "w:p").find((para) => textOf(para) === "小虾有趣 → 细致观察")!;
    expect(board).toContain("<w:br/>");
  });

  it("sets Tibetan runs in the Tibetan font, and embeds it", async () => {
    const { document, files, xml } = await unpack(await renderDocx(planFixture(), await translator("zh-CN"), { now: NOW }));
    const tibetan = elements(document, "w:r").find((r) => textOf(r) === TIBETAN_GREETING)!;
    expect(tibetan).toMatch(
      /<w:rFonts w:ascii="Noto Serif Tibetan" w:cs="Noto Serif Tibetan" w:eastAsia="Noto Serif Tibetan" w:hAnsi="Noto Serif Tibetan"\/>/,
    );
    expect(tibetan).toMatch(/<w:lang [^>]*w:bidi="bo-CN"/);
    // The Chinese around it keeps the document's fonts.
    const chinese = elements(document, "w:r").find((r) => textOf(r).startsWith("学生以藏语为母语"))!;
    expect(chinese).not.toContain("w:rFonts");
    expect(xml("word/styles.xml")).toMatch(
      /<w:rFonts w:ascii="Microsoft YaHei" w:cs="Noto Serif Tibetan" w:eastAsia="Microsoft YaHei" w:hAnsi="Microsoft YaHei"\/>/,
    );
    expect(xml("word/fontTable.xml")).toMatch(/<w:font w:name="Noto Serif Tibetan">[\s\S]*<w:embedRegular /);
    expect(Object.keys(files).filter((name) => name.startsWith("word/fonts/"))).toHaveLength(1);
  });

  it("leaves the Tibetan font out of a plan without Tibetan", async () => {
    const plan = planFixture({ coauthors: ["王老师"], content: { type: "doc", content: [p("小虾")] } });
    const { document, files } = await unpack(await renderDocx(plan, await translator("zh-CN"), { now: NOW }));
    expect(document).not.toContain("Noto Serif Tibetan");
    expect(Object.keys(files).filter((name) => name.startsWith("word/fonts/"))).toEqual([]);
  });

  it("speaks Tibetan to a Tibetan reader, in the Tibetan font", async () => {
    const { document } = await unpack(await renderDocx(planFixture(), await translator("bo"), { now: NOW }));
    const label = elements(document, "w:r").find((r) => textOf(r) === "སློབ་ཚན།")!;
    expect(label).toContain('w:ascii="Noto Serif Tibetan"');
  });

  it("makes the lesson process a table with a repeated, shaded six-cell header row, and merged cells", async () => {
    const { document } = await unpack(await renderDocx(planFixture(), await translator("zh-CN"), { now: NOW }));
    const process = elements(document, "w:tbl").find((tbl) => textOf(tbl).includes("环节"))!;
    expect(process.match(/<w:gridCol /g)).toHaveLength(6);
    const [header, first, second, third] = elements(process, "w:tr");
    expect(header).toContain("<w:tblHeader/>");
    const headerCells = elements(header, "w:tc");
    expect(headerCells.map(textOf)).toEqual(PROCESS_HEADERS);
    for (const cell of headerCells) {
      expect(cell).toMatch(/<w:shd [^>]*w:fill="E7E6E6"/);
      expect(cell).toContain("<w:b/>");
    }
    expect(first).not.toContain("<w:tblHeader/>");
    expect(first).toContain("<w:cantSplit/>");
    expect(elements(first, "w:tc")[0]).toMatch(/<w:vMerge w:val="restart"\/>/);
    const secondCells = elements(second, "w:tc");
    expect(secondCells).toHaveLength(6);
    expect(secondCells[0]).toMatch(/<w:vMerge(?: w:val="continue")?\/>/);
    expect(textOf(secondCells[1])).toBe("3 分钟");
    expect(elements(third, "w:tc")[0]).toContain('<w:gridSpan w:val="2"/>');
    expect(process).toMatch(/<w:top w:val="single"/);
  });

  it("numbers ordered lists and bullets the others, nesting by level", async () => {
    const { document, xml } = await unpack(await renderDocx(planFixture(), await translator("zh-CN"), { now: NOW }));
    const numbering = xml("word/numbering.xml");
    expect(numbering).toContain('<w:numFmt w:val="decimal"/>');
    expect(numbering).toContain('<w:numFmt w:val="bullet"/>');
    const numPr = (value: string) => {
      const para = elements(document, "w:p").find((candidate) => textOf(candidate) === value)!;
      const match = /<w:numPr><w:ilvl w:val="(\d)"\/><w:numId w:val="(\d+)"\/><\/w:numPr>/.exec(para);
      return match && { level: Number(match[1]), numId: match[2] };
    };
    const goal = numPr("有感情地朗读课文。")!;
    expect(goal.level).toBe(0);
    expect(numPr("认识“缸、吵”等 8 个生字，会写“虾、缸”等 13 个字。")!.numId).toBe(goal.numId);
    expect(numPr("找出描写小虾动作的词语")!.level).toBe(1);
    // The homework list is another list: it counts from 1 again.
    expect(numPr("观察一种小动物，写一段话。")!.numId).not.toBe(goal.numId);
    expect(numPr("教材分析")).toBeNull();
  });

  it("links only to safe addresses", async () => {
    const plan = planFixture({
      content: {
        type: "doc",
        content: [
          p(
            text("资源", { type: "link", attrs: { href: SAFE_LINK } }),
            text("点我", { type: "link", attrs: { href: "javascript:alert(1)" } }),
          ),
        ],
      },
    });
    const { document, xml } = await unpack(await renderDocx(plan, await translator("zh-CN"), { now: NOW }));
    const rels = xml("word/_rels/document.xml.rels");
    // Relationship ids are random (docx's uniqueId may use "-" and "_"), so match any.
    const rel = new RegExp(`<Relationship Id="([^"]+)" Type="[^"]+/hyperlink" Target="${SAFE_LINK}" TargetMode="External"/>`).exec(rels);
    expect(rel).not.toBeNull();
    expect(document).toContain(`r:id="${rel![1]}"`);
    expect(rels).not.toContain("javascript:");
    expect(document.match(/<w:hyperlink /g)).toHaveLength(1);
    expect(textOf(document)).toContain("资源点我");
  });

  it("embeds the pictures it has the bytes of, fitted to the page, and leaves out the rest", async () => {
    const plan = planFixture({
      content: {
        type: "doc",
        content: [
          { type: "image", attrs: { src: IMAGE_SRC, alt: "板书" } },
          { type: "image", attrs: { src: OTHER_PLAN_IMAGE_SRC, alt: "没有字节" } },
          { type: "image", attrs: { src: "javascript:alert(1)", alt: "bad" } },
          { type: "image", attrs: { src: "https://cdn.example.org/shrimp.png", alt: "外链" } },
        ],
      },
      images: new Map([
        [IMAGE_SRC, { data: PNG, type: "png", width: 1600, height: 800 }],
        ["javascript:alert(1)", { data: PNG, type: "png", width: 10, height: 10 }],
        ["https://cdn.example.org/shrimp.png", { data: PNG, type: "png", width: 10, height: 10 }],
      ]),
    });
    const { document, files } = await unpack(await renderDocx(plan, await translator("zh-CN"), { now: NOW }));
    expect(Object.keys(files).filter((name) => name.startsWith("word/media/"))).toHaveLength(1);
    const extents = [...document.matchAll(/<wp:extent cx="(\d+)" cy="(\d+)"\/>/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(extents).toHaveLength(1);
    const [cx, cy] = extents[0];
    const pageWidth = ((11906 - 2 * 1134) / 1440) * 914400;
    expect(cx).toBeLessThanOrEqual(pageWidth);
    expect(cx).toBeGreaterThan(pageWidth * 0.95);
    expect(cx / cy).toBeCloseTo(2, 1);
    expect(document).toContain('descr="板书"');
  });
});

describe("WOFF to TrueType", () => {
  it("gives back the sfnt the WOFF file was made from, with valid checksums", () => {
    const woff = fs.readFileSync(
      path.resolve(__dirname, "../../../node_modules/@fontsource/noto-serif-tibetan/files/noto-serif-tibetan-tibetan-400-normal.woff"),
    );
    const sfnt = woffToSfnt(woff);
    expect(sfnt.readUInt32BE(0)).toBe(woff.readUInt32BE(4));
    expect(sfnt.length).toBe(woff.readUInt32BE(16));
    const sum = (data: Buffer) => {
      let total = 0;
      for (let i = 0; i < data.length; i += 4) total = (total + data.readUInt32BE(i)) >>> 0;
      return total;
    };
    expect(sum(sfnt)).toBe(0xb1b0afba);
    const tables = sfnt.readUInt16BE(4);
    for (let i = 0; i < tables; i++) {
      const entry = 12 + i * 16;
      const tag = sfnt.toString("latin1", entry, entry + 4);
      const table = Buffer.from(
        sfnt.subarray(sfnt.readUInt32BE(entry + 8), sfnt.readUInt32BE(entry + 8) + ((sfnt.readUInt32BE(entry + 12) + 3) & ~3)),
      );
      if (tag === "head") table.writeUInt32BE(0, 8);
      expect({ tag, checksum: sum(table) }).toEqual({ tag, checksum: sfnt.readUInt32BE(entry + 4) });
    }
    expect(() => woffToSfnt(Buffer.alloc(64))).toThrow(/WOFF/);
  });
});

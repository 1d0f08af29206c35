import { expect, test, type Browser, type CDPSession, type Locator, type Page } from "@playwright/test";
import { signIn } from "./support/fixtures";

/**
 * Two teachers type into the same empty paragraph, or the same empty cell of 教学过程, at the
 * same moment, character by character. Each writer's text must come out as one contiguous run,
 * nothing doubled, the same in both editors — in every trial. Runs after pairing.spec.ts (which
 * leaves 南屏小学 ⇄ 类乌齐县第一小学 active) and plans.spec.ts.
 */
const TRIALS = 10;

async function as(browser: Browser, email: string) {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, email);
  return { page, context };
}

const surface = (page: Page) => page.locator(".editor-surface");
const saved = (page: Page, text: string) => expect(page.locator(".sync-state")).toHaveText(text, { timeout: 20_000 });

/** How one writer puts text in: key by key, one inserted character at a time, or an IME composition. */
type Writer = { text: string; how: "type" | "insert" | "ime" };

async function write(page: Page, cdp: CDPSession, writer: Writer, pace: number) {
  if (writer.how === "type") return page.keyboard.type(writer.text, { delay: pace });
  for (const ch of writer.how === "ime" ? segments(writer.text) : [...writer.text]) {
    if (writer.how === "ime") {
      // Pinyin composed letter by letter, then committed, as a Chinese IME does.
      for (let i = 1; i <= 3; i++) {
        await cdp.send("Input.imeSetComposition", { text: "pin".slice(0, i), selectionStart: i, selectionEnd: i });
        await page.waitForTimeout(pace / 3);
      }
      await cdp.send("Input.insertText", { text: ch });
    } else {
      await page.keyboard.insertText(ch);
    }
    await page.waitForTimeout(pace);
  }
}

/** Two writers and when the second starts relative to the first, in ms. */
type Combo = [[Writer, Writer], number];

/** The IME commits a word at a time. */
const segments = (text: string) => text.match(/.{1,2}/gu) ?? [];

/** The paragraph's text without the other writers' caret labels. */
const textOf = (paragraph: Locator) =>
  paragraph.evaluate((p) => {
    const copy = p.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
    return copy.textContent ?? "";
  });

/**
 * Both click the same target, then type with overlapping timing: the second writer starts
 * `lag` ms after the first (negative: before it).
 */
async function trial(pages: [Page, Page], cdps: [CDPSession, CDPSession], target: (page: Page) => Locator, [writers, lag]: Combo) {
  await Promise.all(pages.map((page) => target(page).click()));
  await Promise.all([
    pages[0].waitForTimeout(Math.max(0, -lag)).then(() => write(pages[0], cdps[0], writers[0], 45)),
    pages[1].waitForTimeout(Math.max(0, lag)).then(() => write(pages[1], cdps[1], writers[1], 55)),
  ]);
  const expected = [writers[0].text + writers[1].text, writers[1].text + writers[0].text];
  // Both editors settle on the same text (or the trial fails, saying what each shows).
  let texts: string[] = [];
  const deadline = Date.now() + 20_000;
  for (let same = 0; same < 3 && Date.now() < deadline;) {
    await pages[0].waitForTimeout(200);
    const now = await Promise.all(pages.map((page) => textOf(target(page))));
    same = now[0] === now[1] && now[0] === texts[0] ? same + 1 : 0;
    texts = now;
  }
  if (texts[0] !== texts[1]) return { text: `${texts[0]} ≠ ${texts[1]}`, ok: false };
  return { text: texts[0], ok: expected.includes(texts[0]) };
}

test("two teachers typing at the same moment in the same place keep their words whole", async ({ browser }) => {
  test.setTimeout(300_000);
  const hechuan = await as(browser, "teacher.hechuan@example.com");
  await hechuan.page.goto("/pairings");
  await hechuan.page
    .getByRole("link", { name: /类乌齐县第一小学/ })
    .first()
    .click();
  await hechuan.page.getByRole("link", { name: "新建教案" }).click();
  await hechuan.page.getByLabel("课题").fill("同时输入");
  await hechuan.page.getByLabel("学科").selectOption({ label: "语文" });
  await hechuan.page.getByLabel("年级").selectOption({ label: "四年级" });
  await hechuan.page.getByLabel(/扎西卓玛/).check();
  await hechuan.page.getByRole("button", { name: "创建教案" }).click();
  await expect(hechuan.page).toHaveURL(/\/lesson-plans\/[0-9a-f-]+\/edit$/);
  await saved(hechuan.page, "已保存");
  const leiwuqi = await as(browser, "teacher.leiwuqi@example.com");
  await leiwuqi.page.goto(hechuan.page.url());
  await saved(leiwuqi.page, "ཉར་ཟིན།");
  const pages: [Page, Page] = [hechuan.page, leiwuqi.page];
  const cdps = (await Promise.all([hechuan.context.newCDPSession(hechuan.page), leiwuqi.context.newCDPSession(leiwuqi.page)])) as [
    CDPSession,
    CDPSession,
  ];

  // Empty targets of the template, by their place among the editor's paragraphs (typing adds none).
  const places = await surface(hechuan.page)
    .locator("p")
    .evaluateAll((ps) => ps.map((p, i) => ({ i, empty: p.textContent === "", inCell: Boolean(p.closest("td")) })).filter((p) => p.empty));
  const paragraphs = places.filter((p) => !p.inCell).map((p) => p.i);
  const cells = places.filter((p) => p.inCell).map((p) => p.i);
  expect(paragraphs.length).toBeGreaterThanOrEqual(TRIALS);
  expect(cells.length).toBeGreaterThanOrEqual(TRIALS);

  const combos: Combo[] = [
    [
      [
        { text: "reading", how: "type" },
        { text: "tibet", how: "type" },
      ],
      20,
    ],
    [
      [
        { text: "重点朗读课文", how: "insert" },
        { text: "ཀཁགངཅཆ", how: "type" },
      ],
      20,
    ],
    [
      [
        { text: "重点朗读课文", how: "ime" },
        { text: "བཀྲ་ཤིས", how: "type" },
      ],
      20,
    ],
    [
      [
        { text: "ཀློག་པ", how: "type" },
        { text: "aloud", how: "type" },
      ],
      20,
    ],
    // The other writer's first letter lands just before the composition starts: the window in
    // which a caret redraw used to end the composition and leave its pinyin behind.
    [
      [
        { text: "重点朗读课文", how: "ime" },
        { text: "aloud", how: "type" },
      ],
      -8,
    ],
  ];
  const results: string[] = [];
  let failures = 0;
  for (let n = 0; n < TRIALS; n++) {
    for (const [where, index] of [
      ["paragraph", paragraphs[n]],
      ["cell", cells[n]],
    ] as const) {
      const combo = combos[n % combos.length];
      const writers = combo[0];
      const outcome = await trial(pages, cdps, (page) => surface(page).locator("p").nth(index), combo);
      if (!outcome.ok) failures++;
      results.push(
        `${outcome.ok ? "ok  " : "FAIL"} ${where} #${n + 1}: ${writers.map((w) => `${w.text} (${w.how})`).join(" + ")} → ${outcome.text}`,
      );
    }
  }
  console.log(results.join("\n"));
  await saved(hechuan.page, "已保存");
  await saved(leiwuqi.page, "ཉར་ཟིན།");
  expect(failures, results.join("\n")).toBe(0);

  // What the server stored is what both editors show.
  const shown = await surface(hechuan.page).innerText();
  await hechuan.page.goto(hechuan.page.url().replace(/\/edit$/, ""));
  const article = hechuan.page.getByRole("article", { name: "教案正文" });
  for (const [writers] of combos) for (const w of writers) if (shown.includes(w.text)) await expect(article).toContainText(w.text);
  await hechuan.context.close();
  await leiwuqi.context.close();
});

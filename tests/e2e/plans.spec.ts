import { expect, test, type Browser, type Page, type WebSocketRoute } from "@playwright/test";
import { expectAccessible, signIn } from "./support/fixtures";

/**
 * Runs after pairing.spec.ts, which leaves 南屏小学 ⇄ 类乌齐县第一小学 active: 王丽 writes a
 * plan with 扎西卓玛, who works in Tibetan over a connection that drops.
 */
async function as(browser: Browser, email: string, options: { routeCollab?: (route: WebSocketRoute) => void } = {}) {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  if (options.routeCollab) await page.routeWebSocket(/\/collab$/, options.routeCollab);
  await signIn(page, email);
  return { page, context, close: () => context.close() };
}

const surface = (page: Page) => page.locator(".editor-surface");
const syncState = (page: Page) => page.locator(".sync-state");

async function typeAtEndOfSection(page: Page, sectionIndex: number, text: string) {
  // The empty paragraph after a section heading of the template.
  await surface(page).locator("h2").nth(sectionIndex).locator("xpath=following-sibling::p[1]").click();
  await page.keyboard.press("End");
  await page.keyboard.insertText(text);
}

test("two teachers co-edit a plan in Chinese and Tibetan, survive going offline, keep versions and adapt it", async ({ browser }) => {
  test.setTimeout(180_000);
  const hechuan = await as(browser, "teacher.hechuan@example.com");
  await hechuan.page.goto("/pairings");
  await hechuan.page
    .getByRole("link", { name: /类乌齐县第一小学/ })
    .first()
    .click();
  await hechuan.page.getByRole("link", { name: "新建教案" }).click();
  await expectAccessible(hechuan.page);

  // Bad input is refused in Chinese and nothing is created.
  await hechuan.page.getByRole("button", { name: "创建教案" }).click();
  await expect(hechuan.page.getByText("此项为必填项。").first()).toBeVisible();
  await hechuan.page.getByLabel("课题").fill("秋天的雨");
  await hechuan.page.getByLabel("学科").selectOption({ label: "语文" });
  await hechuan.page.getByLabel("年级").selectOption({ label: "三年级" });
  await hechuan.page.getByLabel("教材单元").fill("第三单元");
  await hechuan.page.getByLabel(/扎西卓玛/).check();
  await hechuan.page.getByRole("button", { name: "创建教案" }).click();
  await expect(hechuan.page).toHaveURL(/\/lesson-plans\/[0-9a-f-]+\/edit$/);
  const planUrl = hechuan.page.url().replace(/\/edit$/, "");
  await expect(syncState(hechuan.page)).toHaveText("已保存");
  await expect(surface(hechuan.page).locator("h2").first()).toHaveText("教材分析");
  await expect(surface(hechuan.page).locator("th")).toHaveText(["环节", "时间", "主讲教师", "本地学生", "远端课堂", "设计意图"]);
  await expectAccessible(hechuan.page);

  // The details form: a bad number of periods is refused in Chinese, a good one saved.
  await hechuan.page.goto(`${planUrl}/details`);
  await hechuan.page.getByLabel("课时").fill("12");
  await hechuan.page.getByRole("button", { name: "保存" }).click();
  await expect(hechuan.page.getByText("课时数应在 1 到 10 之间。")).toBeVisible();
  await hechuan.page.getByLabel("课时").fill("2");
  await hechuan.page.getByRole("button", { name: "保存" }).click();
  await expect(hechuan.page.getByRole("status")).toHaveText("教案信息已保存。");
  await expectAccessible(hechuan.page);
  await hechuan.page.getByRole("link", { name: "一起编辑" }).click();
  await expect(syncState(hechuan.page)).toHaveText("已保存");

  // 扎西卓玛's collaboration socket goes through a route the test can cut.
  let offline = false;
  const routes: WebSocketRoute[] = [];
  const leiwuqi = await as(browser, "teacher.leiwuqi@example.com", {
    routeCollab: (ws) => {
      if (offline) return void ws.close();
      routes.push(ws);
      ws.connectToServer();
    },
  });
  await leiwuqi.page.goto(`${planUrl}/edit`);
  await expect(syncState(leiwuqi.page)).toHaveText("ཉར་ཟིན།");

  // Chinese through an IME composition, Tibetan typed: each sees the other's text and caret.
  await surface(hechuan.page).locator("h2").first().locator("xpath=following-sibling::p[1]").click();
  const cdp = await hechuan.context.newCDPSession(hechuan.page);
  await cdp.send("Input.imeSetComposition", { text: "qiu", selectionStart: 3, selectionEnd: 3 });
  await cdp.send("Input.insertText", { text: "本课是一篇优美的散文" });
  await typeAtEndOfSection(leiwuqi.page, 1, "བཀྲ་ཤིས་བདེ་ལེགས།");
  await expect(surface(leiwuqi.page)).toContainText("本课是一篇优美的散文");
  await expect(surface(hechuan.page)).toContainText("བཀྲ་ཤིས་བདེ་ལེགས།");
  await expect(hechuan.page.locator(".collaboration-carets__label", { hasText: "扎西卓玛" })).toBeVisible();
  await expect(leiwuqi.page.locator(".collaboration-carets__label", { hasText: "王丽" })).toBeVisible();
  await expect(hechuan.page.getByRole("list", { name: "正在编辑的人" })).toContainText("扎西卓玛");
  await expectAccessible(leiwuqi.page);

  // The Leiwuqi link drops: edits stay local, the state says so, and they arrive on return.
  offline = true;
  await leiwuqi.context.setOffline(true);
  for (const route of routes.splice(0)) await route.close();
  await expect(syncState(leiwuqi.page)).toContainText("དྲ་རྒྱ་མེད།");
  await typeAtEndOfSection(leiwuqi.page, 1, "སློབ་མ་ཚོས་བོད་ཡིག་ཀློག");
  await expect(syncState(leiwuqi.page)).toContainText("མཉམ་འགྲིག་བྱས་མེད།");
  // The offline copy lives in this browser's IndexedDB, one database per plan.
  const planId = planUrl.split("/").pop();
  expect(await leiwuqi.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain(`lesson-plan.${planId}`);
  // Closing the tab now asks first; staying keeps the page and its unsynced edits.
  const asked = new Promise<string>((resolve) =>
    leiwuqi.page.once("dialog", (dialog) => {
      resolve(dialog.type());
      void dialog.dismiss();
    }),
  );
  await leiwuqi.page.close({ runBeforeUnload: true });
  expect(await asked).toBe("beforeunload");
  expect(leiwuqi.page.isClosed()).toBe(false);
  await typeAtEndOfSection(hechuan.page, 4, "理解课文内容");
  await expect(surface(hechuan.page)).not.toContainText("སློབ་མ་ཚོས་བོད་ཡིག་ཀློག");
  offline = false;
  await leiwuqi.context.setOffline(false);
  await expect(surface(hechuan.page)).toContainText("སློབ་མ་ཚོས་བོད་ཡིག་ཀློག", { timeout: 30_000 });
  await expect(surface(leiwuqi.page)).toContainText("理解课文内容");
  await expect(syncState(leiwuqi.page)).toHaveText("ཉར་ཟིན།", { timeout: 30_000 });
  await leiwuqi.page.goto(planUrl);
  await leiwuqi.close();

  // A named version, a later change, then the version restored for everyone.
  await expect(syncState(hechuan.page)).toHaveText("已保存");
  await hechuan.page.goto(planUrl);
  await hechuan.page.getByLabel("版本名称").fill("初稿");
  await hechuan.page.getByRole("button", { name: "保存当前版本" }).click();
  await expect(hechuan.page.getByRole("status")).toHaveText("版本已保存。");
  await hechuan.page.getByRole("link", { name: "一起编辑" }).click();
  await expect(syncState(hechuan.page)).toHaveText("已保存");
  await typeAtEndOfSection(hechuan.page, 5, "后来加的一句");
  await expect(syncState(hechuan.page)).toHaveText("已保存");
  await hechuan.page.goto(planUrl);
  await expect(hechuan.page.getByRole("article", { name: "教案正文" })).toContainText("后来加的一句");
  await hechuan.page.getByRole("link", { name: "初稿" }).click();
  await expect(hechuan.page.getByRole("article")).not.toContainText("后来加的一句");
  await expectAccessible(hechuan.page);
  await hechuan.page.getByRole("button", { name: "恢复这个版本" }).click();
  await expect(hechuan.page.getByRole("status")).toHaveText("已恢复该版本；正在编辑的人都会看到。");
  const content = hechuan.page.getByRole("article", { name: "教案正文" });
  await expect(content).not.toContainText("后来加的一句");
  await expect(content).toContainText("本课是一篇优美的散文");
  await expect(content).toContainText("སློབ་མ་ཚོས་བོད་ཡིག་ཀློག");

  // Review, final (定稿), then 扎西卓玛 adapts it and sees what she changed.
  await hechuan.page.getByRole("button", { name: "提交审阅" }).click();
  await expect(hechuan.page.getByRole("status")).toHaveText("已提交审阅。");
  await hechuan.page.getByRole("button", { name: "定稿" }).click();
  await expect(hechuan.page.getByRole("status")).toHaveText("教案已定稿，现在只读。");
  await expect(hechuan.page.getByRole("link", { name: "一起编辑" })).toHaveCount(0);
  await expectAccessible(hechuan.page);
  // The print version carries its own Chinese and Tibetan fonts, and Chromium uses them.
  await hechuan.page.goto(`${planUrl}/export/html`);
  await expect(hechuan.page.getByRole("heading", { level: 1, name: "秋天的雨" })).toBeVisible();
  await expect(hechuan.page.locator("body")).toContainText("本课是一篇优美的散文");
  const fonts = await hechuan.page.evaluate(async () => {
    await document.fonts.ready;
    return {
      loaded: [...new Set([...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family.replace(/"/g, "")))],
      tibetan: document.fonts.check('16px "Noto Serif Tibetan"', "བཀྲ་ཤིས"),
      chinese: document.fonts.check('16px "Noto Sans SC"', "本课是一篇优美的散文"),
    };
  });
  expect(fonts.loaded).toEqual(expect.arrayContaining(["Noto Sans SC", "Noto Serif Tibetan"]));
  expect(fonts).toMatchObject({ tibetan: true, chinese: true });
  await expectAccessible(hechuan.page);
  const docx = await hechuan.page.request.get(`${planUrl}/export/docx`);
  expect(docx.headers()["content-disposition"]).toContain(".docx");
  expect((await docx.body()).subarray(0, 2).toString()).toBe("PK");

  // The pairing's plan list finds it by a Tibetan phrase of its content, and filters by status.
  await hechuan.page.goto("/pairings");
  await hechuan.page
    .getByRole("link", { name: /类乌齐县第一小学/ })
    .first()
    .click();
  await hechuan.page.getByRole("link", { name: "全部教案" }).click();
  await hechuan.page.getByLabel("搜索课题和内容").fill("བཀྲ་ཤིས");
  await hechuan.page.getByLabel("状态").selectOption({ label: "定稿" });
  await hechuan.page.getByRole("button", { name: "筛选" }).click();
  await expect(hechuan.page.getByRole("heading", { name: "共 1 份教案" })).toBeVisible();
  await expect(hechuan.page.getByRole("link", { name: "秋天的雨" })).toBeVisible();
  await expectAccessible(hechuan.page);
  await hechuan.page.getByLabel("状态").selectOption({ label: "草稿" });
  await hechuan.page.getByRole("button", { name: "筛选" }).click();
  await expect(hechuan.page.getByRole("heading", { name: "共 0 份教案" })).toBeVisible();
  await hechuan.close();

  const adapter = await as(browser, "teacher.leiwuqi@example.com");
  await adapter.page.goto(planUrl);
  await adapter.page.getByRole("button", { name: "བསྐྱར་གྲ་སྒྲིག（ངའི་པར་གཞི།）" }).click();
  await expect(adapter.page).toHaveURL(/\/edit$/);
  await expect(syncState(adapter.page)).toHaveText("ཉར་ཟིན།");
  await typeAtEndOfSection(adapter.page, 3, "ང་ཚོའི་སློབ་མས་སློབ་ཚན་འདི་བོད་སྐད་དུ་ཀློག");
  await expect(syncState(adapter.page)).toHaveText("ཉར་ཟིན།");
  const adaptation = adapter.page.url().replace(/\/edit$/, "");
  await adapter.page.goto(`${adaptation}/diff`);
  await expect(async () => {
    await adapter.page.reload();
    await expect(adapter.page.locator("ins").first()).toContainText("ང་ཚོའི་སློབ་མས", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expectAccessible(adapter.page);
  await adapter.close();
});

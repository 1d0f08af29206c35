import fs from "node:fs";
import { expect, test, type Browser, type BrowserContext, type Page, type WebSocketRoute } from "@playwright/test";
import { expectAccessible, signIn } from "./support/fixtures";

/**
 * The editor's sync state and reconnection, a change the server refuses, and who is here.
 * Runs before pairing.spec.ts, so it pairs its own schools: 南屏小学 (王丽) ⇄ 类乌齐镇中心小学,
 * whose region's coordinator 洛桑次仁 reads the plans.
 */
const strings = (lng: string, ns: string) => JSON.parse(fs.readFileSync(`public/locales/${lng}/${ns}.json`, "utf8"));
const zh = strings("zh-CN", "editor");
const bo = strings("bo", "editor");
const boPairings = strings("bo", "pairings");

const PARTNER = "类乌齐镇中心小学";
/** "N changes not synced yet", whatever N is. */
const PENDING = new RegExp(zh.pending_other.replace("{{count}}", "\\d+"));

interface Session {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far; a test ends with none. */
  errors: string[];
  close: () => Promise<void>;
}

async function as(browser: Browser, email: string, routeCollab?: (route: WebSocketRoute) => void): Promise<Session> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  if (routeCollab) await page.routeWebSocket(/\/collab$/, routeCollab);
  await signIn(page, email);
  return { page, context, errors, close: () => context.close() };
}

const surface = (page: Page) => page.locator(".editor-surface");
const syncState = (page: Page) => page.locator(".sync-state");

/** Types at the end of the paragraph that follows the template's nth section heading. */
async function typeInSection(page: Page, sectionIndex: number, text: string) {
  await surface(page).locator("h2").nth(sectionIndex).locator("xpath=following-sibling::p[1]").click();
  await page.keyboard.press("End");
  await page.keyboard.insertText(text);
}

/** The sync state is inside the viewport, not scrolled away. */
async function expectStateInView(page: Page) {
  const box = await syncState(page).boundingBox();
  const viewport = page.viewportSize()!;
  expect(box).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
}

const pageScrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

let workspaceUrl = "";

// Once per worker: a worker started again after a failed test finds the pairing in place.
test.beforeAll(async ({ browser }) => {
  const hechuan = await as(browser, "coordinator.hechuan@example.com");
  await hechuan.page.goto("/pairings");
  const existing = hechuan.page.getByRole("link", { name: new RegExp(PARTNER) });
  if ((await existing.count()) > 0) {
    await hechuan.page.goto((await existing.first().getAttribute("href"))!);
  } else {
    await hechuan.page.goto("/pairings/new");
    await hechuan.page.getByLabel("本方学校").selectOption({ label: "重庆市合川区南屏小学" });
    await hechuan.page.getByLabel("结对学校（另一区县）").selectOption({ label: PARTNER });
    await hechuan.page.getByLabel("语文", { exact: true }).check();
    await hechuan.page.getByRole("button", { name: "发起结对" }).click();
    await expect(hechuan.page.getByRole("status")).toHaveText("结对已发起。");
  }
  workspaceUrl = hechuan.page.url().split("?")[0];
  await hechuan.close();

  // 洛桑次仁 works in Tibetan.
  const leiwuqi = await as(browser, "coordinator.leiwuqi@example.com");
  await leiwuqi.page.goto(workspaceUrl);
  const accept = leiwuqi.page.getByRole("button", { name: boPairings.actions.accept });
  if ((await accept.count()) > 0) {
    await accept.click();
    await expect(leiwuqi.page.getByRole("status")).toHaveText(boPairings.done.accept, { timeout: 30_000 });
  }
  await leiwuqi.close();
});

/** 王丽 creates a plan in the pairing and lands in its editor, saved. */
async function createPlan(teacher: Session, title: string) {
  await teacher.page.goto(workspaceUrl);
  await teacher.page.getByRole("link", { name: "新建教案" }).click();
  await teacher.page.getByLabel("课题").fill(title);
  await teacher.page.getByLabel("学科").selectOption({ label: "语文" });
  await teacher.page.getByLabel("年级").selectOption({ label: "三年级" });
  await teacher.page.getByLabel("教材单元").fill("第一单元");
  await teacher.page.getByRole("button", { name: "创建教案" }).click();
  await expect(teacher.page).toHaveURL(/\/lesson-plans\/[0-9a-f-]+\/edit$/);
  await expect(syncState(teacher.page)).toHaveText(zh.state.saved);
  return teacher.page.url();
}

test("the sync state stays in view while typing and reaches saved within 2 s of coming back online", async ({ browser }) => {
  test.setTimeout(120_000);
  // 王丽's collaboration socket goes through a route the test can cut, as a dropped link would.
  let offline = false;
  let refused = 0;
  const attempts: number[] = [];
  const routes: WebSocketRoute[] = [];
  const teacher = await as(browser, "teacher.hechuan@example.com", (ws) => {
    if (offline) {
      refused += 1;
      return void ws.close();
    }
    attempts.push(Date.now());
    routes.push(ws);
    ws.connectToServer();
  });
  const { page } = teacher;
  await createPlan(teacher, "秋天的雨（同步状态）");

  // The state shares the sticky bar with the tools.
  const sticky = page.locator(".editor-sticky");
  await expect(sticky.getByRole("toolbar", { name: zh.toolbar })).toBeVisible();
  await expect(sticky.getByRole("status")).toHaveText(zh.state.saved);

  // A long plan: the page scrolls, the state stays in view while typing at the bottom.
  await typeInSection(page, 10, "第一条反思");
  for (let line = 2; line <= 25; line += 1) {
    await page.keyboard.press("Enter");
    await page.keyboard.insertText(`第 ${line} 条反思`);
  }
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.keyboard.insertText("，写在页面底部");
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
  await expectStateInView(page);
  await expect(syncState(page)).toHaveText(zh.state.saved);
  await expectStateInView(page);
  await expectAccessible(page);

  // On a phone: no sideways scrolling, and the state is still in view at the bottom.
  await page.setViewportSize({ width: 375, height: 700 });
  await page.keyboard.insertText("。");
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  expect(await pageScrollsSideways(page)).toBe(false);
  await expectStateInView(page);
  await expect(syncState(page)).toHaveText(zh.state.saved);
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 720 });

  // The link drops: edits stay here, and the state says so.
  offline = true;
  await teacher.context.setOffline(true);
  for (const route of routes.splice(0)) await route.close();
  await expect(syncState(page)).toContainText(zh.state.offline);
  await typeInSection(page, 0, "离线时写的一句");
  await expect(syncState(page)).toContainText(PENDING);

  // Back online: the time from the network's return to "saved", measured in the page.
  await page.evaluate((saved) => {
    const w = window as unknown as { savedAt: number | null; onlineAt: number | null };
    w.savedAt = null;
    w.onlineAt = null;
    window.addEventListener("online", () => (w.onlineAt = Date.now()), { once: true });
    const observer = new MutationObserver(() => {
      if (document.querySelector(".sync-state")?.textContent === saved) {
        w.savedAt = Date.now();
        observer.disconnect();
      }
    });
    observer.observe(document.querySelector(".editor")!, { subtree: true, childList: true, characterData: true });
  }, zh.state.saved);
  // Offline long enough for the provider's backoff to grow, and back just after an attempt
  // failed: left to its backoff, the provider would not try again for at least a second.
  await expect.poll(() => refused, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  const failed = refused;
  await expect.poll(() => refused, { timeout: 30_000, intervals: [10] }).toBeGreaterThan(failed);
  offline = false;
  const backOnline = Date.now();
  await teacher.context.setOffline(false);
  await expect(syncState(page)).toHaveText(zh.state.saved, { timeout: 15_000 });
  const { savedAt, onlineAt } = await page.evaluate(() => {
    const w = window as unknown as { savedAt: number; onlineAt: number };
    return { savedAt: w.savedAt, onlineAt: w.onlineAt };
  });
  const retriedAt = attempts.find((at) => at >= backOnline)!;
  const elapsed = savedAt - backOnline;
  console.log(
    `Back online → "${zh.state.saved}" in ${elapsed} ms (online event → new connection ${retriedAt - onlineAt} ms, → saved ${savedAt - onlineAt} ms)`,
  );
  expect(retriedAt - onlineAt).toBeLessThan(500);
  expect(elapsed).toBeLessThanOrEqual(2_000);
  await expectStateInView(page);

  // What was typed offline is on the server: a fresh reader sees it.
  const reader = await as(browser, "coordinator.leiwuqi@example.com");
  await reader.page.goto(page.url());
  await expect(surface(reader.page)).toContainText("离线时写的一句");
  await expect(syncState(reader.page)).toHaveText(`${bo.readOnly} · ${bo.state.saved}`);
  await reader.close();

  expect(teacher.errors).toEqual([]);
  expect(reader.errors).toEqual([]);
  await teacher.close();
});

test("a change the server refuses is dropped here too: the editor returns to the saved state and says why", async ({ browser }) => {
  test.setTimeout(90_000);
  const teacher = await as(browser, "teacher.hechuan@example.com");
  const { page } = teacher;
  const editUrl = await createPlan(teacher, "秋天的雨（被拒绝的修改）");
  await typeInSection(page, 0, "已保存的一句");
  await expect(syncState(page)).toHaveText(zh.state.saved);

  // One change of 1.2 MB, over the server's limit for a single change.
  await typeInSection(page, 1, "长".repeat(400_000));
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("paragraph")).toHaveText(zh.reasons.updateTooLarge);
  await expect(syncState(page)).toHaveText(zh.state.saved);
  await expect(surface(page)).toContainText("已保存的一句");
  await expect(surface(page)).not.toContainText("长长长长长长长长");
  await expectAccessible(page);
  // The message stays while she keeps writing, until she dismisses it.
  await typeInSection(page, 1, "重新写的一句");
  await expect(syncState(page)).toHaveText(zh.state.saved);
  await expect(alert).toBeVisible();
  await alert.getByRole("button", { name: zh.dismiss }).click();
  await expect(page.getByRole("alert")).toHaveCount(0);

  // The offline copy was dropped with it: a reload brings back only what the server holds.
  await page.goto(editUrl);
  // A page load asks for the editor's chunk from its inline script, not only once its modules ran.
  await expect(page.locator('head link[rel="modulepreload"][href*="/editor.client-"]')).toHaveCount(1);
  await expect(syncState(page)).toHaveText(zh.state.saved);
  await expect(surface(page)).toContainText("重新写的一句");
  await expect(surface(page)).not.toContainText("长长长长长长长长");

  expect(teacher.errors).toEqual([]);
  await teacher.close();
});

test("a reader is listed as a reader in the editor's who-is-here list", async ({ browser }) => {
  test.setTimeout(90_000);
  const teacher = await as(browser, "teacher.hechuan@example.com");
  const editUrl = await createPlan(teacher, "秋天的雨（谁在这里）");
  const reader = await as(browser, "coordinator.leiwuqi@example.com");
  await reader.page.goto(editUrl);
  await expect(syncState(reader.page)).toHaveText(`${bo.readOnly} · ${bo.state.saved}`);

  // Her name and role come from the server, whatever her browser claims.
  const people = teacher.page.getByRole("list", { name: zh.people });
  await expect(people.getByRole("listitem").filter({ hasText: "洛桑次仁" })).toHaveText(`洛桑次仁 · ${zh.reader}`);
  await expect(people.getByRole("listitem").filter({ hasText: "王丽" })).toHaveText("王丽");
  const theirs = reader.page.getByRole("list", { name: bo.people });
  await expect(theirs.getByRole("listitem").filter({ hasText: "王丽" })).toHaveText("王丽");
  await expect(theirs.getByRole("listitem").filter({ hasText: "洛桑次仁" })).toHaveText(`洛桑次仁 · ${bo.reader}`);

  // A reader has no tools, but the state is sticky for her too, on a phone as well.
  await expect(reader.page.getByRole("toolbar")).toHaveCount(0);
  await reader.page.setViewportSize({ width: 375, height: 700 });
  await reader.page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  expect(await reader.page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
  expect(await pageScrollsSideways(reader.page)).toBe(false);
  await expectStateInView(reader.page);
  await expectAccessible(reader.page);

  expect(teacher.errors).toEqual([]);
  expect(reader.errors).toEqual([]);
  await reader.close();
  await teacher.close();
});

import fs from "node:fs";
import { expect, test, type Browser } from "@playwright/test";
import { expectAccessible, signIn, switchLanguage, waitForHydration } from "./support/fixtures";

const boHome = JSON.parse(fs.readFileSync("public/locales/bo/home.json", "utf8"));

async function as(browser: Browser, email: string) {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, email);
  return { page, close: () => context.close() };
}

test("coordinators pair a Hechuan and a Leiwuqi school, and both schools' teachers see the workspace", async ({ browser }) => {
  test.setTimeout(120_000);
  const hechuan = await as(browser, "coordinator.hechuan@example.com");
  await hechuan.page.getByRole("link", { name: "结对" }).click();
  await hechuan.page.getByRole("link", { name: "发起结对" }).click();
  await expectAccessible(hechuan.page);

  // Bad input is refused with a translated message: no subject chosen.
  await hechuan.page.getByLabel("本方学校").selectOption({ label: "重庆市合川区南屏小学" });
  await hechuan.page.getByLabel("结对学校（另一区县）").selectOption({ label: "类乌齐县第一小学" });
  await hechuan.page.getByRole("button", { name: "发起结对" }).click();
  await expect(hechuan.page.getByText("请至少选择一个学科。")).toBeVisible();
  await hechuan.page.getByLabel("语文", { exact: true }).check();
  await hechuan.page.getByLabel("数学").check();
  await hechuan.page.getByRole("button", { name: "发起结对" }).click();
  await expect(hechuan.page.getByRole("status")).toHaveText("结对已发起。");
  await expect(hechuan.page.getByText("待对方确认")).toBeVisible();
  // The proposer may only withdraw, which needs no reason: no reason box beside it.
  await expect(hechuan.page.getByRole("button", { name: "撤回" })).toBeVisible();
  await expect(hechuan.page.getByLabel(/理由/)).toHaveCount(0);
  const workspace = hechuan.page.url().split("?")[0];

  // The same two schools cannot have a second open pairing: the database says no, in Chinese.
  await hechuan.page.goto("/pairings/new");
  await hechuan.page.getByLabel("本方学校").selectOption({ label: "重庆市合川区南屏小学" });
  await hechuan.page.getByLabel("结对学校（另一区县）").selectOption({ label: "类乌齐县第一小学" });
  await hechuan.page.getByLabel("语文", { exact: true }).check();
  await hechuan.page.getByRole("button", { name: "发起结对" }).click();
  await expect(hechuan.page.getByRole("alert")).toHaveText("这两所学校已有一个未结束的结对。");
  await hechuan.close();

  // The Leiwuqi coordinator works in Tibetan (the profile says so): notification, then accept.
  const leiwuqi = await as(browser, "coordinator.leiwuqi@example.com");
  await expect(leiwuqi.page.locator("html")).toHaveAttribute("lang", "bo");
  // Her home page says what waits for her decision, naming the schools.
  // (Earlier browser tests may have left proposals of their own: the count is not asserted.)
  const waiting = leiwuqi.page.getByRole("region", { name: boHome.awaiting.title_other.split("（")[0] });
  await expect(waiting.getByRole("link", { name: /南屏小学/ }).first()).toBeVisible();
  await expect(waiting).toContainText(boHome.awaiting.proposed);
  await expectAccessible(leiwuqi.page);
  await leiwuqi.page.getByRole("link", { name: /བརྡ་ཐོ།/ }).click();
  // The notification names the two schools.
  await expect(leiwuqi.page.locator(".notification").filter({ hasText: "南屏小学" }).first()).toContainText("རི་བོ་ཆེ་རྫོང་སློབ་ཆུང་དང་པོ།");
  await expectAccessible(leiwuqi.page);
  await leiwuqi.page.getByRole("link", { name: "སློབ་གྲྭ་ཞིག་གིས་ཁྱེད་ཀྱི་རྫོང་ཆུས་ལ་ཆ་འགྲིག་གསར་འཛུགས་བྱས།" }).first().click();
  await expect(leiwuqi.page).toHaveURL(workspace);
  await switchLanguage(leiwuqi.page, "zh-CN");
  await expectAccessible(leiwuqi.page);
  await leiwuqi.page.getByRole("button", { name: "同意结对" }).click();
  await expect(leiwuqi.page.getByRole("status")).toHaveText("已同意结对，结对开始。");
  await expect(leiwuqi.page.getByText("进行中")).toBeVisible();
  await leiwuqi.page.getByRole("button", { name: "暂停" }).click();
  await expect(leiwuqi.page.getByText("请填写理由。")).toBeVisible();
  await switchLanguage(leiwuqi.page, "bo");
  await leiwuqi.close();

  for (const email of ["teacher.hechuan@example.com", "teacher.leiwuqi@example.com"]) {
    const teacher = await as(browser, email);
    await switchLanguage(teacher.page, "zh-CN");
    await teacher.page.goto(workspace);
    await expect(teacher.page.getByRole("heading", { level: 2, name: "重庆市合川区南屏小学" })).toBeVisible();
    await expect(teacher.page.getByRole("heading", { level: 2, name: "类乌齐县第一小学" })).toBeVisible();
    // Both schools' teachers, side by side.
    const hechuanSide = teacher.page.getByRole("region", { name: "重庆市合川区南屏小学" });
    const leiwuqiSide = teacher.page.getByRole("region", { name: "类乌齐县第一小学" });
    await expect(hechuanSide.getByRole("listitem").filter({ hasText: "王丽" })).toBeVisible();
    await expect(leiwuqiSide.getByRole("listitem").filter({ hasText: "扎西卓玛" })).toBeVisible();
    await expect(teacher.page.getByRole("button", { name: "同意结对" })).toHaveCount(0);
    await expectAccessible(teacher.page);
    if (email === "teacher.leiwuqi@example.com") await switchLanguage(teacher.page, "bo");
    await teacher.close();
  }
});

test("in the Tibetan UI, pages that show dates render the same on the server and in the browser", async ({ browser }) => {
  const teacher = await as(browser, "teacher.leiwuqi@example.com");
  await switchLanguage(teacher.page, "bo");
  await teacher.page.goto("/pairings");
  const workspace = await teacher.page.locator('a[href^="/pairings/"]').first().getAttribute("href");
  for (const path of ["/pairings", workspace!, "/notifications"]) {
    await teacher.page.goto(path);
    await waitForHydration(teacher.page);
    await expect(teacher.page.locator("html")).toHaveAttribute("lang", "bo");
    if (path === workspace) await expect(teacher.page.locator("time").first()).toBeVisible();
    // A date formatted differently in the browser would be a hydration error in the console.
    await expectAccessible(teacher.page);
  }
  await teacher.close();
});

import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./support/fixtures";

test("a teacher sees their own school's people and classrooms, and not another school's", async ({ page }) => {
  await signIn(page, "teacher.hechuan@example.com");
  await page.getByRole("link", { name: "重庆市合川区南屏小学" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "重庆市合川区南屏小学" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "教师", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "教室" }).getByRole("listitem").first()).toBeVisible();
  await expectAccessible(page);

  await page.goto("/schools");
  await page.getByLabel("学校名称").fill("类乌齐县第一");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.getByRole("status")).toHaveText("共 1 所学校");
  await page.getByRole("link", { name: "类乌齐县第一小学" }).click();
  await expect(page.getByText("只有本校成员和本区县协调员可以看到本校教师。")).toBeVisible();
  await expectAccessible(page);
});

test("the directory filters by region and stage", async ({ page }) => {
  await signIn(page, "coordinator.hechuan@example.com");
  await page.goto("/schools");
  await page.getByLabel("区县").selectOption({ label: "类乌齐县" });
  await page.getByLabel("学段").selectOption("middle");
  await page.getByRole("button", { name: "筛选" }).click();
  await page.waitForURL(/[?&]stage=middle/);
  const cards = page.locator(".school-card");
  await expect(cards.first()).toBeVisible();
  for (const meta of await cards.locator(".school-card__meta").allTextContents()) {
    expect(meta).toContain("类乌齐县");
    expect(meta).toContain("初中");
  }
});

test("profile: a bad display name is refused with a translated error; a good one is saved", async ({ page }) => {
  await signIn(page, "principal.hechuan@example.com");
  await page.goto("/profile");
  await expectAccessible(page);
  const name = page.getByLabel("显示名称");
  const original = await name.inputValue();
  await name.fill("   ");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("此项为必填项。")).toBeVisible();

  await name.fill(`${original}（校长）`);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toHaveText("个人资料已保存。");
  await expect(page.getByLabel("显示名称")).toHaveValue(`${original}（校长）`);

  await page.getByLabel("当前密码").fill("wrong-password");
  await page.getByLabel("新密码", { exact: true }).fill("a-new-password");
  await page.getByLabel("确认新密码").fill("a-different-one");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByText("两次输入的新密码不一致。")).toBeVisible();
});

test("works on a phone and by keyboard", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: "zh-CN", isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, "teacher.leiwuqi@example.com");
  // The Leiwuqi teacher's profile prefers Tibetan: signing in switches the interface to it.
  await expect(page.locator("html")).toHaveAttribute("lang", "bo");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("བཀྲ་ཤིས་བདེ་ལེགས");
  for (const path of ["/", "/schools", "/profile"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    await expectAccessible(page);
  }
  await page.goto("/schools");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "ནང་དོན་གཙོ་བོར་མཆོང་།" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
  await context.close();
});

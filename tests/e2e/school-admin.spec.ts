import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./support/fixtures";

test("a coordinator creates a school with translated validation, edits it and manages its classrooms", async ({ page }) => {
  await signIn(page, "coordinator.hechuan@example.com");
  await page.goto("/schools");
  await page.getByRole("link", { name: "新建学校" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "新建学校" })).toBeVisible();
  await expectAccessible(page);

  // Nothing filled in: every required field says so, in Chinese.
  await page.getByRole("button", { name: "创建学校" }).click();
  await expect(page.getByText("此项为必填项。")).toBeVisible();
  await expect(page.getByText("请选择列表中的一项。")).toHaveCount(1);

  // A name the region already has: refused by the database, explained in Chinese.
  await page.getByLabel("中文名称").fill("重庆市合川区南屏小学");
  await page.getByLabel("学段").selectOption("primary");
  await page.getByRole("button", { name: "创建学校" }).click();
  await expect(page.getByRole("alert")).toHaveText("本区县已有同名学校。");

  const name = `合川区云门街道小学${Date.now() % 100000}`;
  await page.getByLabel("中文名称").fill(name);
  await page.getByRole("button", { name: "创建学校" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("学校信息已保存。");

  await page.getByRole("link", { name: "编辑学校信息" }).click();
  await page.getByLabel("英文名称（可选）").fill("Yunmen Primary School");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("Yunmen Primary School")).toBeVisible();

  await page.getByLabel("教室名称").fill("三年级一班");
  await page.getByLabel("设备说明（可选）").fill("希沃一体机");
  await page.getByRole("button", { name: "添加教室" }).click();
  await expect(page.getByRole("status")).toHaveText("教室已添加。");
  await expect(page.getByRole("region", { name: "教室" }).getByText("三年级一班")).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("教室名称").fill("三年级一班");
  await page.getByRole("button", { name: "添加教室" }).click();
  await expect(page.getByRole("alert")).toHaveText("本校已有同名教室。");

  await page.getByRole("button", { name: "删除教室 三年级一班" }).click();
  await expect(page.getByRole("status")).toHaveText("教室已删除。");
  await expect(page.getByText("还没有教室。")).toBeVisible();
});

test("a teacher cannot open the school editor", async ({ page }) => {
  await signIn(page, "teacher.hechuan@example.com");
  const response = await page.goto("/schools/new");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "没有权限" })).toBeVisible();
});

test("a member removed by the principal loses access at once", async ({ browser }) => {
  const teacherContext = await browser.newContext({ locale: "zh-CN" });
  const teacher = await teacherContext.newPage();
  await signIn(teacher, "liu.yang@example.com");
  await teacher.getByRole("link", { name: "重庆市合川区南屏小学" }).click();
  await expect(teacher.getByRole("region", { name: "教室" }).getByRole("listitem").first()).toBeVisible();
  const schoolUrl = teacher.url();

  const principalContext = await browser.newContext({ locale: "zh-CN" });
  const principal = await principalContext.newPage();
  await signIn(principal, "principal.hechuan@example.com");
  await principal.goto(schoolUrl);
  await principal.getByRole("button", { name: "将 刘洋 移出本校" }).click();
  await expect(principal.getByRole("status")).toHaveText("成员已移出本校。");
  await expect(principal.getByRole("region", { name: "教师与管理员" }).getByText("刘洋")).toHaveCount(0);

  await teacher.reload();
  await expect(teacher.getByText("只有本校成员和本区县协调员可以看到本校教室。")).toBeVisible();
  await teacher.goto("/");
  await expect(teacher.getByText("您还没有加入任何学校。请联系学校管理员或教育局协调员。")).toBeVisible();
  await teacherContext.close();
  await principalContext.close();
});

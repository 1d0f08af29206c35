import { expect, test } from "@playwright/test";
import { expectAccessible, signIn, submitSignIn, switchLanguage } from "./support/fixtures";

test("a Hechuan teacher signs in in Chinese, browses the directory in three languages and signs out", async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await expectAccessible(page);

  await signIn(page, "teacher.hechuan@example.com");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
  await expect(page.getByRole("link", { name: "重庆市合川区南屏小学" })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "学校名录" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "学校名录" })).toBeVisible();
  await expect(page.getByRole("link", { name: "类乌齐县第一小学" })).toBeVisible();
  await expectAccessible(page);

  await switchLanguage(page, "bo");
  await expect(page.getByRole("heading", { level: 1, name: "སློབ་གྲྭའི་ཐོ་བཀོད།" })).toBeVisible();
  // Leiwuqi schools show their Tibetan names to a Tibetan reader.
  await expect(page.getByRole("link", { name: "རི་བོ་ཆེ་རྫོང་སློབ་ཆུང་དང་པོ།" })).toBeVisible();
  await expectAccessible(page);

  await switchLanguage(page, "en");
  await expect(page.getByRole("heading", { level: 1, name: "School directory" })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await page.goto("/schools");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fschools$/);

  // Back to Chinese for the account's next sign-in.
  await signIn(page, "teacher.hechuan@example.com");
  await switchLanguage(page, "zh-CN");
});

test("a wrong password shows a translated error and keeps the user signed out", async ({ page }) => {
  await submitSignIn(page, "teacher.leiwuqi@example.com", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("邮箱或密码不正确。");
  await expect(page).toHaveURL(/\/login/);
  await expectAccessible(page);

  await switchLanguage(page, "bo");
  await submitSignIn(page, "teacher.leiwuqi@example.com", "still-wrong");
  await expect(page.getByRole("alert")).toHaveText("གློག་འཕྲིན་ཁ་བྱང་ངམ་གསང་ཨང་ནོར་འདུག");
  await switchLanguage(page, "zh-CN");
});

test("an invalid email is refused in the browser with a translated message", async ({ page }) => {
  await page.goto("/login");
  await page.locator('input[name="email"]').fill("not-an-email");
  await page.locator('input[name="password"]').fill("x");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("请输入有效的电子邮箱地址。")).toBeVisible();
  await expect(page.locator('input[name="email"]')).toHaveAttribute("aria-invalid", "true");
});

import { expect, test } from "@playwright/test";
import { expectAccessible, signIn, signOut } from "./support/fixtures";

test("a principal invites a teacher, who opens the mail from the outbox, sets a password and lands in the school", async ({ browser }) => {
  // Two people, three pages checked with axe: a long journey on a slow machine.
  test.setTimeout(120_000);
  const email = `new.teacher.${Date.now()}@example.com`;
  const principalContext = await browser.newContext({ locale: "zh-CN" });
  const principal = await principalContext.newPage();
  await signIn(principal, "principal.hechuan@example.com");
  await principal.getByRole("link", { name: "重庆市合川区南屏小学" }).first().click();
  await principal.waitForURL(/\/schools\/[0-9a-f-]{36}$/);
  const schoolUrl = principal.url();

  const invite = principal.getByRole("region", { name: "邀请教师" });
  await invite.getByRole("button", { name: "发送邀请" }).click();
  await expect(invite.getByText("此项为必填项。").first()).toBeVisible();
  await invite.getByLabel("电子邮箱").fill("not-an-address");
  await invite.getByRole("button", { name: "发送邀请" }).click();
  await expect(invite.getByText("请输入有效的电子邮箱地址。")).toBeVisible();

  await invite.getByLabel("电子邮箱").fill(email);
  await invite.getByLabel("姓名").fill("邓小梅");
  await invite.getByLabel("邮件和界面语言").selectOption("zh-CN");
  await invite.getByRole("button", { name: "发送邀请" }).click();
  await expect(principal.getByRole("status")).toHaveText("邀请已发出。");
  await expect(principal.getByRole("region", { name: "教师与管理员" }).getByText("邓小梅")).toBeVisible();
  await principalContext.close();

  const inviteeContext = await browser.newContext({ locale: "zh-CN" });
  const invitee = await inviteeContext.newPage();
  await invitee.goto("/dev/outbox");
  await expectAccessible(invitee);
  await invitee
    .getByRole("link", { name: new RegExp(email.replace(/[.]/g, "\\.")) })
    .first()
    .click();
  await expectAccessible(invitee);
  const link = await invitee.locator('a[href*="/auth/confirm?"]').first().getAttribute("href");
  expect(link).toContain("token_hash=");
  await invitee.goto(link!);

  await expect(invitee.getByRole("heading", { level: 1, name: "欢迎加入同课" })).toBeVisible();
  await expectAccessible(invitee);
  await invitee.getByLabel("密码", { exact: true }).fill("short");
  await invitee.getByLabel("确认密码").fill("short");
  await invitee.getByRole("button", { name: "设置密码并进入" }).click();
  await expect(invitee.getByText("密码至少需要 8 个字符。")).toBeVisible();
  await invitee.getByLabel("密码", { exact: true }).fill("a-good-password");
  await invitee.getByLabel("确认密码").fill("a-good-password");
  await invitee.getByRole("button", { name: "设置密码并进入" }).click();
  await expect(invitee).toHaveURL(schoolUrl);
  await expect(invitee.getByRole("heading", { level: 1, name: "重庆市合川区南屏小学" })).toBeVisible();
  await expect(invitee.getByRole("region", { name: "教室" }).getByRole("listitem").first()).toBeVisible();

  // The new member hears of it in the portal.
  await invitee.getByRole("link", { name: "通知（1 条未读）" }).click();
  await invitee.getByRole("link", { name: "您已被加入一所学校" }).click();
  await expect(invitee).toHaveURL(schoolUrl);

  // The link is single-use; the password works from now on.
  await invitee.goto(link!);
  await expect(invitee.getByText("邀请链接无效或已过期。", { exact: false })).toBeVisible();
  await signOut(invitee);
  await signIn(invitee, email, "a-good-password");
  await expect(invitee.getByRole("link", { name: "重庆市合川区南屏小学" })).toBeVisible();
  await inviteeContext.close();
});

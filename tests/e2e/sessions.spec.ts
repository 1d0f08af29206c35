import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, signIn } from "./support/fixtures";

/**
 * Runs after pairing.spec.ts (南屏小学 ⇄ 类乌齐县第一小学 active) and plans.spec.ts (the plan
 * 秋天的雨). 王丽 schedules a live class with 扎西卓玛's class receiving; no LiveKit server
 * runs here, so the classroom meets an unreachable video server — with Chromium's fake
 * camera and microphone for everything before that.
 */
async function as(browser: Browser, email: string, options: { viewport?: { width: number; height: number } } = {}) {
  const context = await browser.newContext({ locale: "zh-CN", viewport: options.viewport ?? { width: 1280, height: 900 } });
  await context.grantPermissions(["camera", "microphone"]);
  const page = await context.newPage();
  await signIn(page, email);
  return { page, context, close: () => context.close() };
}

/** A day next week as the datetime-local input wants it, in Beijing time. */
function nextWeek(time: string, plusDays = 7) {
  const day = new Date(Date.now() + plusDays * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
  return `${day}T${time}`;
}

async function fillSchedule(page: Page, title: string, startsAt: string) {
  await page.getByLabel("课题").fill(title);
  await page.getByLabel("关联教案").selectOption({ label: "秋天的雨" });
  await page.getByLabel("主讲教室").selectOption({ label: "三年级二班" });
  await page.getByLabel("主讲教师").selectOption({ label: "王丽" });
  await page.getByLabel("接收教室 1", { exact: true }).selectOption({ label: "三年级一班" });
  await page.getByLabel("接收教室 1 的助学教师").selectOption({ label: "扎西卓玛" });
  await page.getByLabel("开始时间（北京时间）").fill(startsAt);
  await page.getByLabel("时长").selectOption({ label: "45 分钟" });
}

const preview = (page: Page) => page.getByTestId("local-preview");

test("a teacher schedules a class (a clash is refused), and the classroom works without a video server", async ({ browser }) => {
  test.setTimeout(180_000);
  const hechuan = await as(browser, "teacher.hechuan@example.com");
  const { page } = hechuan;
  await page.goto("/pairings");
  await page.getByRole("link", { name: /类乌齐县第一小学/ }).first().click();
  await page.getByRole("link", { name: "安排同步课堂" }).click();
  await expectAccessible(page);

  // Bad input first: nothing chosen, nothing written.
  await page.getByRole("button", { name: "安排", exact: true }).click();
  await expect(page.getByText("此项为必填项。").first()).toBeVisible();

  // A first class, then one that clashes with it in the same classroom, then a good one.
  await fillSchedule(page, "《秋天的雨》第一课时", nextWeek("09:00"));
  await page.getByRole("button", { name: "安排", exact: true }).click();
  await expect(page.getByRole("status").first()).toHaveText("已安排 1 节同步课堂。");
  await expect(page.getByRole("heading", { level: 1, name: "《秋天的雨》第一课时" })).toBeVisible();
  await expect(page.getByText("已安排", { exact: true })).toBeVisible();
  await expectAccessible(page);

  await page.goBack();
  await fillSchedule(page, "《秋天的雨》第二课时", nextWeek("09:30"));
  await page.getByRole("button", { name: "安排", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("教室“三年级二班”在");
  await expect(page.getByRole("alert")).toContainText("已有同步课堂，请换一个时间或教室。");
  await expectAccessible(page);
  await page.getByLabel("开始时间（北京时间）").fill(nextWeek("10:00"));
  await page.getByRole("button", { name: "安排", exact: true }).click();
  await expect(page.getByRole("status").first()).toHaveText("已安排 1 节同步课堂。");
  const sessionUrl = new URL(page.url()).pathname;

  // The calendar file downloads; the week view lists both classes.
  const [ics] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "添加到日历（.ics）" }).click()]);
  expect(ics.suggestedFilename()).toMatch(/^tongke-[0-9a-f-]+\.ics$/);
  await page.getByRole("link", { name: "查看本周课表" }).click();
  await page.getByRole("link", { name: "下一周" }).click();
  await expect(page.getByRole("link", { name: /《秋天的雨》第一课时/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /《秋天的雨》第二课时/ })).toBeVisible();
  await expectAccessible(page);

  // The classroom: the fake camera shows in the pre-join check.
  await page.goto(`${sessionUrl}/room`);
  await expect(page.getByRole("heading", { name: "进入课堂前检查设备" })).toBeVisible();
  await expect(preview(page)).toHaveAttribute("data-camera", "on");
  await expect(preview(page)).toHaveAttribute("data-width", /\d+/);
  await expectAccessible(page);

  // No video server: a clear state with retry, while the plan and the chat stay usable.
  await page.getByRole("button", { name: "加入课堂" }).click();
  const problem = page.getByTestId("join-problem");
  await expect(problem).toContainText("无法连接视频服务器。", { timeout: 45_000 });
  await expect(problem.getByRole("button", { name: "重试" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "教案" })).toBeVisible();
  await expect(page.locator(".plan-panel")).toContainText("教材分析");
  await page.getByLabel("输入消息").fill("两校同学好！");
  await page.getByRole("button", { name: "发送" }).click();
  await expect(page.getByRole("log", { name: "聊天" })).toContainText("两校同学好！");
  await expectAccessible(page);

  // The ladder changes the camera track that would be published: lower resolution, then off.
  const size = async () => Number(await preview(page).getAttribute("data-width"));
  const full = await size();
  const ladder = page.getByRole("radiogroup", { name: "网络档位" });
  await ladder.getByRole("radio", { name: "仅老师视频" }).check();
  await expect.poll(size).toBeLessThan(full);
  await ladder.getByRole("radio", { name: "仅音频" }).check();
  await expect(preview(page)).toHaveAttribute("data-camera", "off");
  await ladder.getByRole("radio", { name: "完整视频" }).check();
  await expect(preview(page)).toHaveAttribute("data-camera", "on");
  await expect.poll(size).toBe(full);

  // Retrying meets the same unreachable server, and says so again.
  await problem.getByRole("button", { name: "重试" }).click();
  await expect(page.getByTestId("join-problem")).toContainText("无法连接视频服务器。", { timeout: 45_000 });
  await hechuan.close();

  // 扎西卓玛, on a phone, sees the chat message and the class in the plan panel, in Tibetan.
  const leiwuqi = await as(browser, "teacher.leiwuqi@example.com", { viewport: { width: 390, height: 844 } });
  await leiwuqi.page.goto(`${sessionUrl}/room`);
  await expect(leiwuqi.page.getByRole("log")).toContainText("两校同学好！");
  const overflow = await leiwuqi.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  await expectAccessible(leiwuqi.page);
  await leiwuqi.close();
});

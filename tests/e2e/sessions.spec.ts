import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signWebhook, webhookEvent } from "../support/fake-livekit";
import { expectAccessible, signIn } from "./support/fixtures";
import { E2E_LIVEKIT } from "./support/livekit";

const locale = (lng: string) => JSON.parse(fs.readFileSync(`public/locales/${lng}/classroom.json`, "utf8"));
const zhClassroom = locale("zh-CN");
const boClassroom = locale("bo");

const WANG_LI = "30000000-0000-4000-8000-000000000005";
const ZHAXI_ZHUOMA = "30000000-0000-4000-8000-000000000006";

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
  await page.getByLabel("主讲教室").selectOption({ label: "三年级二班 · 重庆市合川区南屏小学" });
  await page.getByLabel("主讲教师").selectOption({ label: "王丽" });
  await page.getByLabel("接收教室 1", { exact: true }).selectOption({ label: "三年级一班 · 类乌齐县第一小学" });
  await page.getByLabel("接收教室 1 的助学教师").selectOption({ label: "扎西卓玛" });
  await page.getByLabel("开始时间（北京时间）").fill(startsAt);
  await page.getByLabel("时长（分钟）").fill("45");
}

const preview = (page: Page) => page.getByTestId("local-preview");

test("a teacher schedules a class (a clash is refused), and the classroom works without a video server", async ({ browser }) => {
  test.setTimeout(180_000);
  const hechuan = await as(browser, "teacher.hechuan@example.com");
  const { page } = hechuan;
  await page.goto("/pairings");
  await page
    .getByRole("link", { name: /类乌齐县第一小学/ })
    .first()
    .click();
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
  const firstUrl = new URL(page.url()).pathname;

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

  // Both classes are on her home page and in the pairing's workspace.
  await page.goto("/");
  const upcoming = page.getByRole("region", { name: "即将开始的同步课堂" });
  await expect(upcoming.getByRole("link", { name: "《秋天的雨》第一课时" })).toBeVisible();
  await expect(upcoming.getByRole("link", { name: "《秋天的雨》第二课时" })).toBeVisible();
  await page.goto("/pairings");
  await page
    .getByRole("link", { name: /类乌齐县第一小学/ })
    .first()
    .click();
  await expect(page.getByRole("region", { name: "同步课堂" }).getByRole("link", { name: "《秋天的雨》第二课时" })).toBeVisible();

  // The first class moves (weather), then is cancelled (exams): each with its reason, kept.
  await page.goto(firstUrl);
  const move = page.getByRole("form", { name: "调整时间" });
  await move.getByRole("button", { name: "调整时间" }).click();
  await expect(move.getByText("请选择原因。")).toBeVisible();
  await move.getByLabel("开始时间（北京时间）").fill(nextWeek("08:00"));
  await move.getByLabel("原因").selectOption({ label: "天气原因" });
  await move.getByRole("button", { name: "调整时间" }).click();
  await expect(page.getByRole("status").first()).toHaveText("已调整上课时间。");
  await expect(page.getByRole("region", { name: "调课记录" })).toContainText("因天气原因将时间从");
  const cancel = page.getByRole("form", { name: "取消这节课" });
  await cancel.getByLabel("原因").selectOption({ label: "考试安排" });
  await cancel.getByLabel("说明（选填）").fill("期中考试");
  await cancel.getByRole("button", { name: "取消这节课" }).click();
  await expect(page.getByRole("status").first()).toHaveText("已取消这节课。");
  await expect(page.getByText("已取消", { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "调课记录" })).toContainText("期中考试");
  await expect(page.getByRole("link", { name: "进入课堂" })).toHaveCount(0);
  await expectAccessible(page);

  // On a phone the session page and the week view fit the screen.
  await page.setViewportSize({ width: 375, height: 740 });
  for (const url of [firstUrl, "/live"]) {
    await page.goto(url);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

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
  // Our server answers, so the page says the video server is down — not the teacher's network.
  await expect(problem).toContainText(zhClassroom.join.videoServerDown);
  await expect(problem).not.toContainText("检查网络");
  await expect(problem.getByRole("button", { name: "重试" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "教案" })).toBeVisible();
  // The plan is live from the collaboration server (read-only), not only as it was rendered.
  await expect(page.locator(".plan-panel .plan-state")).toHaveText("实时同步中");
  await expect(page.locator(".plan-panel .plan-live")).toContainText("教材分析");
  await expect(page.locator(".plan-panel [contenteditable]")).toHaveCount(0);
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
  // When our own server stops answering too, it is the teacher's network, and the page says that.
  await page.route("**/healthz", (route) => route.abort("internetdisconnected"));
  await problem.getByRole("button", { name: "重试" }).click();
  await expect(page.getByTestId("join-problem")).toContainText(zhClassroom.join.network, { timeout: 45_000 });
  await expect(page.getByTestId("join-problem")).not.toContainText(zhClassroom.join.videoServerDown);
  await page.unroute("**/healthz");
  await hechuan.close();

  // 扎西卓玛, on a phone, sees the chat message and the class in the plan panel, in Tibetan.
  const leiwuqi = await as(browser, "teacher.leiwuqi@example.com", { viewport: { width: 390, height: 844 } });
  // She was told: the class scheduled with her classroom, and the first one cancelled.
  await leiwuqi.page.goto("/notifications");
  await expect(leiwuqi.page.getByRole("link", { name: /^ཁྱེད་ལ་དུས་མཉམ་སློབ་ཁྲིད་གསར་པ་ཡོད། 《秋天的雨》第二课时/ })).toBeVisible();
  await expect(leiwuqi.page.getByRole("link", { name: /^དུས་མཉམ་སློབ་ཁྲིད་མེད་པར་བཏང་ཟིན། 《秋天的雨》第一课时/ })).toBeVisible();
  await expectAccessible(leiwuqi.page);
  await leiwuqi.page.goto(`${sessionUrl}/room`);
  await expect(leiwuqi.page.getByRole("log")).toContainText("两校同学好！");
  // In Tibetan too, the video server is named as the problem.
  await leiwuqi.page.getByRole("button", { name: boClassroom.join.join }).click();
  await expect(leiwuqi.page.getByTestId("join-problem")).toContainText(boClassroom.join.videoServerDown, { timeout: 45_000 });
  const overflow = await leiwuqi.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  await expectAccessible(leiwuqi.page);

  // The class takes place: LiveKit's signed webhooks, over HTTP, move it to ended with attendance.
  const sessionId = sessionUrl.split("/").pop()!;
  const room = { name: `live-session.${sessionId}`, sid: "RM_e2e" };
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  const events = [
    webhookEvent("room_started", { room, createdAt: minutesAgo(46) }),
    webhookEvent("participant_joined", { room, createdAt: minutesAgo(45), participant: { identity: WANG_LI, sid: "PA_wang" } }),
    webhookEvent("participant_joined", { room, createdAt: minutesAgo(44), participant: { identity: ZHAXI_ZHUOMA, sid: "PA_zhaxi" } }),
    webhookEvent("room_finished", { room, createdAt: minutesAgo(0) }),
  ];
  const forged = await leiwuqi.page.request.post("/api/livekit/webhook", {
    data: events[3],
    headers: {
      "content-type": "application/webhook+json",
      authorization: await signWebhook(events[3], E2E_LIVEKIT.LIVEKIT_API_KEY, "not-the-secret-0123456789abcdefghijklmn"),
    },
  });
  expect(forged.status()).toBe(401);
  for (const body of events) {
    const authorization = await signWebhook(body, E2E_LIVEKIT.LIVEKIT_API_KEY, E2E_LIVEKIT.LIVEKIT_API_SECRET);
    const answer = await leiwuqi.page.request.post("/api/livekit/webhook", {
      data: body,
      headers: { "content-type": "application/webhook+json", authorization },
    });
    expect(await answer.json()).toEqual({ applied: true });
  }

  // After the class, 扎西卓玛 enters her class's headcount (numbers only) and a reflection.
  await leiwuqi.page.goto(sessionUrl);
  await expect(leiwuqi.page.getByText("མཇུག་རྫོགས།", { exact: true })).toBeVisible();
  await expect(leiwuqi.page.getByRole("table").getByRole("row")).toHaveCount(3);
  const headcount = leiwuqi.page.getByLabel(/三年级一班/);
  await headcount.fill("300");
  await leiwuqi.page.getByRole("button", { name: "གྲངས་ཀ་ཉར།" }).click();
  await expect(leiwuqi.page.getByText("0 ནས་ 200 བར་གྱི་གྲངས་ཀ་ཆ་ཚང་ཞིག་འབྲི་རོགས།")).toBeVisible();
  await leiwuqi.page.getByLabel(/三年级一班/).fill("31");
  await leiwuqi.page.getByRole("button", { name: "གྲངས་ཀ་ཉར།" }).click();
  await expect(leiwuqi.page.getByRole("status").first()).toHaveText("སློབ་མའི་གྲངས་ཀ་ཉར་ཚགས་བྱས་ཟིན།");
  await leiwuqi.page.getByLabel(/ངའི་སློབ་ཁྲིད་བསམ་ཞིབ/).fill("远端学生朗读很积极。ཕྱི་ཚུལ་ལེགས།");
  await leiwuqi.page.getByRole("button", { name: "བསམ་ཞིབ་ཉར།" }).click();
  await expect(leiwuqi.page.getByRole("status").first()).toHaveText("སློབ་ཁྲིད་བསམ་ཞིབ་ཉར་ཚགས་བྱས་ཟིན།");
  await expectAccessible(leiwuqi.page);
  await leiwuqi.close();

  // A coordinator observes (听评课): an unscored criterion is refused, a full rubric kept.
  const coordinator = await as(browser, "coordinator.hechuan@example.com");
  await coordinator.page.goto(sessionUrl);
  await coordinator.page.getByRole("button", { name: "提交听课记录" }).click();
  await expect(coordinator.page.getByText("请为这一项打 1 到 5 分。").first()).toBeVisible();
  for (const criterion of ["教学目标达成", "两地课堂互动", "关注远端学生", "学生参与度", "技术与媒体运用"]) {
    await coordinator.page.getByRole("group", { name: criterion }).getByLabel("4 优秀").check();
  }
  await coordinator.page.getByLabel("评课意见").fill("两地互动自然，远端课堂发言机会多。");
  await coordinator.page.getByRole("button", { name: "提交听课记录" }).click();
  await expect(coordinator.page.getByRole("status").first()).toHaveText("已提交听课记录。");
  await expect(coordinator.page.getByText("31 人")).toBeVisible();
  await expectAccessible(coordinator.page);

  // The plan's page lists the class with the reflection.
  await coordinator.page.getByRole("link", { name: "秋天的雨" }).click();
  await expect(coordinator.page.getByRole("region", { name: "用这份教案上的同步课堂" })).toContainText("远端学生朗读很积极。");
  await coordinator.close();
});

import fs from "node:fs";
import ExcelJS from "exceljs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, signIn, switchLanguage } from "./support/fixtures";

const strings = (lng: string) => JSON.parse(fs.readFileSync(`public/locales/${lng}/dashboard.json`, "utf8"));
const zh = strings("zh-CN");
const en = strings("en");
const REASONS = ["network", "weather", "exams", "other"] as const;
type Strings = typeof zh;
/** The export's header row: each cancellation reason has its own column. */
const headers = (s: Strings) => [
  ...(
    ["schoolA", "stageA", "membersA", "schoolB", "stageB", "membersB", "status", "planned", "scheduled", "held", "cancelled"] as const
  ).map((k) => s.columns[k]),
  ...REASONS.map((r) => s.columns.cancelledFor.replace("{{reason}}", s.reasons[r])),
  ...(["minutesTaught", "students", "participants", "lessonPlans", "observations", "lastActivity"] as const).map((k) => s.columns[k]),
];

async function as(browser: Browser, email: string) {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, email);
  return { page, close: () => context.close() };
}

async function download(page: Page, linkName: string) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: linkName }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(path) };
}

test("a coordinator reads the dashboard of a new pairing, filters it and downloads it as XLSX and CSV", async ({ browser }) => {
  test.setTimeout(120_000);
  const hechuan = await as(browser, "coordinator.hechuan@example.com");
  const { page } = hechuan;

  await page.goto("/pairings/new");
  await page.getByLabel("本方学校").selectOption({ label: "合川区龙市镇中心小学" });
  await page.getByLabel("结对学校（另一区县）").selectOption({ label: "类乌齐县中学" });
  await page.getByLabel("本学期计划同步课堂节数").fill("6");
  await page.getByLabel("语文", { exact: true }).check();
  await page.getByRole("button", { name: "发起结对" }).click();
  await expect(page.getByRole("status")).toHaveText("结对已发起。");

  await page.getByRole("navigation").getByRole("link", { name: zh.nav }).click();
  await expect(page.getByRole("heading", { level: 1, name: zh.title })).toBeVisible();
  const row = page.getByRole("row", { name: /^合川区龙市镇中心小学 类乌齐县中学/ });
  await expect(row).toBeVisible();
  // State, then teachers of each side, planned 6; nothing scheduled, held, cancelled, taught, attended, written or observed yet.
  await expect(row.getByRole("cell")).toHaveText([
    "待对方确认",
    /^\d+$/,
    /^\d+$/,
    "6",
    "0",
    "0",
    "0",
    "0",
    "0",
    "0",
    "0",
    "0",
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/,
  ]);
  const hechuanCounts = page.getByRole("table", { name: /合川区.*各状态结对数/ });
  await expect(hechuanCounts.getByRole("row", { name: "待对方确认" }).getByRole("cell")).toHaveText("1");
  await expect(page.getByRole("img", { name: /待对方确认 1/ }).first()).toBeVisible();
  await expectAccessible(page);

  // Filter by either school's stage: no high school is in it, the Leiwuqi school is a middle school.
  await page.getByLabel(zh.filters.stage).selectOption({ label: "高中" });
  await page.getByRole("button", { name: zh.filters.apply }).click();
  await expect(page).toHaveURL(/stage=high/);
  await expect(page.getByText(zh.table.none)).toBeVisible();
  await page.getByLabel(zh.filters.stage).selectOption({ label: "初中" });
  await page.getByRole("button", { name: zh.filters.apply }).click();
  await expect(page).toHaveURL(/stage=middle/);
  await expect(row).toBeVisible();

  // On a phone the table scrolls inside its own container, not the page.
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => {
    const box = document.querySelector(".table-scroll")!;
    return { page: document.documentElement.scrollWidth > window.innerWidth, table: box.scrollWidth > box.clientWidth };
  });
  expect(overflow).toEqual({ page: false, table: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  const xlsx = await download(page, zh.export.xlsx);
  expect(xlsx.name).toMatch(/^tongke-report-\d{4}-\d{4}-[12]-middle\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  expect(sheet.name).toBe(zh.sheets.pairings);
  expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(headers(zh));
  const rows = sheet.getSheetValues().slice(2) as unknown[][];
  const mine = rows.find((r) => r[1] === "合川区龙市镇中心小学" && r[4] === "类乌齐县中学");
  expect(mine?.slice(1, 21)).toEqual([
    "合川区龙市镇中心小学",
    "小学",
    expect.any(Number),
    "类乌齐县中学",
    "初中",
    expect.any(Number),
    "待对方确认",
    6,
    ...Array(12).fill(0),
  ]);

  await switchLanguage(page, "en");
  const csv = await download(page, en.export.csv);
  expect(csv.name).toMatch(/-middle\.csv$/);
  const text = csv.bytes.toString("utf8");
  expect(text.startsWith("\ufeff")).toBe(true);
  const lines = text.slice(1).split("\r\n");
  expect(lines[0]).toBe(headers(en).join(","));
  expect(lines.find((l) => l.includes("Leiwuqi County Middle School"))).toMatch(
    /^"Longshi Town Central Primary School, Hechuan",Primary school,\d+,Leiwuqi County Middle School,Middle school,\d+,Awaiting partner,6,(0,){12}\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/,
  );
  await switchLanguage(page, "zh-CN");
  await hechuan.close();

  // A teacher has no dashboard: no link, and a translated 403 for the page and the exports.
  const teacher = await as(browser, "teacher.hechuan@example.com");
  await expect(teacher.page.getByRole("navigation").getByRole("link", { name: zh.nav })).toHaveCount(0);
  const response = await teacher.page.goto("/dashboard");
  expect(response?.status()).toBe(403);
  await expect(teacher.page.getByRole("heading", { name: "没有权限" })).toBeVisible();
  expect((await teacher.page.request.get("/dashboard/export/xlsx")).status()).toBe(403);
  await teacher.close();
});

test("on a 375 px phone the dashboard fits the screen and the header stays short, in all three languages", async ({ browser }) => {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await signIn(page, "coordinator.hechuan@example.com");
  await page.goto("/dashboard");
  // Ends in Chinese: the switcher saves the choice to the coordinator's profile, which later tests sign in with.
  for (const lng of ["bo", "en", "zh-CN"] as const) {
    await switchLanguage(page, lng);
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", lng);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `page width in ${lng}`).toBeLessThanOrEqual(375);
    // Brand and tools on one row, the navigation on one scrolling row: not a third of the screen.
    expect((await page.locator(".site-header").boundingBox())!.height, `header in ${lng}`).toBeLessThan(160);
    await expectAccessible(page);
  }
  await context.close();
});

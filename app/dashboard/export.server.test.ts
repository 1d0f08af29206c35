import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { Locale } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { contentDisposition, exportFilename, pairingTable, toCsv, toXlsx, type Translate } from "./export.server";
import type { DashboardReport } from "./queries.server";

const report: DashboardReport = {
  filters: { term: "2026-2027-1", stage: null },
  activity: [],
  regions: [
    {
      id: "r1",
      nameZh: "合川区",
      nameBo: null,
      nameEn: "Hechuan District",
      counts: { requested: 0, proposed: 1, active: 2, paused: 0, ended: 1, declined: 0, withdrawn: 0 },
      total: 4,
      totals: {
        planned: 14,
        scheduled: 9,
        held: 5,
        cancelled: 3,
        cancelledBy: { network: 2, weather: 1, exams: 0, other: 0 },
        minutesTaught: 221,
        students: 140,
        participants: 11,
        observations: 6,
      },
    },
  ],
  pairings: [
    {
      id: "p1",
      status: "active",
      schoolA: { id: "a", nameZh: "合川区龙市镇中心小学", nameBo: null, nameEn: "Longshi Town Central Primary School, Hechuan", stage: "primary", regionId: "r1", members: 12 },
      schoolB: { id: "b", nameZh: "类乌齐县中学", nameBo: "རི་བོ་ཆེ་རྫོང་སློབ་འབྲིང་།", nameEn: null, stage: "middle", regionId: "r2", members: 7 },
      planned: 8,
      scheduled: 6,
      held: 3,
      cancelled: 3,
      cancelledBy: { network: 2, weather: 0, exams: 0, other: 1 },
      minutesTaught: 131,
      students: 82,
      participants: 9,
      lessonPlans: 2,
      observations: 4,
      lastActivity: "2026-11-28T16:50:00.000Z",
    },
  ],
};

async function translator(locale: Locale): Promise<Translate> {
  const t = await i18nServer.getFixedT(locale, ["dashboard", "pairings", "common"] as never);
  return (key, options) => String(t(key as never, options as never));
}

describe("the CSV report", () => {
  it("starts with a byte-order mark and a translated header row, then one row per pairing", async () => {
    const csv = toCsv(pairingTable(report, "en", await translator("en")));
    expect(csv.startsWith("\ufeff")).toBe(true);
    expect(csv.slice(1).split("\r\n")).toEqual([
      "Proposing school,Proposing school's stage,Teachers (proposing school),Partner school,Partner school's stage,Teachers (partner school),State," +
        "Joint lessons planned,Joint lessons scheduled,Joint lessons held,Joint lessons cancelled," +
        "Cancelled (Network),Cancelled (Weather),Cancelled (Exams),Cancelled (Other)," +
        "Minutes taught,Student attendances,People who joined,Lesson plans co-authored,Observations done,Last activity",
      // School names in the reader's language where there is one, else Chinese.
      '"Longshi Town Central Primary School, Hechuan",Primary school,12,类乌齐县中学,Middle school,7,Active,8,6,3,3,2,0,0,1,131,82,9,2,4,2026-11-29 00:50',
      "",
    ]);
  });

  it("speaks Tibetan to a Tibetan reader", async () => {
    const table = pairingTable(report, "bo", await translator("bo"));
    expect(table.headers[0]).toBe("གསར་འཛུགས་སློབ་གྲྭ།");
    expect(table.rows[0][0]).toBe("合川区龙市镇中心小学");
    expect(table.rows[0][3]).toBe("རི་བོ་ཆེ་རྫོང་སློབ་འབྲིང་།");
    expect(table.headers[11]).toBe("མེད་པར་བཟོས་པ། (དྲ་རྒྱ)");
  });
});

describe("the XLSX report", () => {
  it("parses back: a frozen, translated header row, the pairing rows, a sheet of status counts and one of live-class totals", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await toXlsx(report, "zh-CN", await translator("zh-CN")));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["结对明细", "各状态结对数", "各区县同步课堂合计"]);
    const [pairings, statuses, totals] = workbook.worksheets;
    expect(pairings.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect((pairings.getRow(1).values as unknown[]).slice(1)).toEqual([
      "发起学校",
      "发起学校学段",
      "发起学校教师数",
      "结对学校",
      "结对学校学段",
      "结对学校教师数",
      "状态",
      "计划同步课",
      "已排同步课",
      "已上同步课",
      "已取消同步课",
      "已取消（网络）",
      "已取消（天气）",
      "已取消（考试）",
      "已取消（其他）",
      "授课时长（分钟）",
      "学生人次",
      "参与人数",
      "合作教案",
      "听评课",
      "最近活动",
    ]);
    expect((pairings.getRow(2).values as unknown[]).slice(1)).toEqual([
      "合川区龙市镇中心小学",
      "小学",
      12,
      "类乌齐县中学",
      "初中",
      7,
      "进行中",
      8,
      6,
      3,
      3,
      2,
      0,
      0,
      1,
      131,
      82,
      9,
      2,
      4,
      "2026-11-29 00:50",
    ]);
    expect(pairings.rowCount).toBe(2);
    expect(pairings.getColumn(1).width).toBe(36);
    expect((statuses.getRow(1).values as unknown[]).slice(1, 3)).toEqual(["区县", "待本区县审核"]);
    expect((statuses.getRow(2).values as unknown[]).slice(1)).toEqual(["合川区", 0, 1, 2, 0, 1, 0, 0, 4]);
    expect(totals.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect((totals.getRow(1).values as unknown[]).slice(1)).toEqual([
      "区县",
      "计划同步课",
      "已排同步课",
      "已上同步课",
      "已取消同步课",
      "已取消（网络）",
      "已取消（天气）",
      "已取消（考试）",
      "已取消（其他）",
      "授课时长（分钟）",
      "学生人次",
      "参与人数",
      "听评课",
    ]);
    expect((totals.getRow(2).values as unknown[]).slice(1)).toEqual(["合川区", 14, 9, 5, 3, 2, 1, 0, 0, 221, 140, 11, 6]);
    expect(totals.rowCount).toBe(2);
  });
});

describe("the download's name", () => {
  it("names the term and stage, with an RFC 5987 name when it is not ASCII", () => {
    expect(exportFilename(report, "xlsx")).toBe("tongke-report-2026-2027-1.xlsx");
    expect(exportFilename({ ...report, filters: { term: "2025-2026-2", stage: "middle" } }, "csv")).toBe("tongke-report-2025-2026-2-middle.csv");
    expect(contentDisposition("tongke-report-2026-2027-1.xlsx")).toBe('attachment; filename="tongke-report-2026-2027-1.xlsx"');
    expect(contentDisposition("同课报表.csv")).toBe(`attachment; filename="____.csv"; filename*=UTF-8''%E5%90%8C%E8%AF%BE%E6%8A%A5%E8%A1%A8.csv`);
  });
});

import { createHash } from "node:crypto";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { createI18n } from "~/i18n/client";
import boCalendar from "../../public/locales/bo/calendar.json";
import boPairings from "../../public/locales/bo/pairings.json";
import enCalendar from "../../public/locales/en/calendar.json";
import enPairings from "../../public/locales/en/pairings.json";
import zhCalendar from "../../public/locales/zh-CN/calendar.json";
import zhPairings from "../../public/locales/zh-CN/pairings.json";
import { calendarLabels, generateFeedToken, hashFeedToken, sessionsCalendar, type CalendarSession } from "./calendar.server";

const zhLabels = calendarLabels(createI18n("zh-CN", { calendar: zhCalendar, pairings: zhPairings }).t);
const boLabels = calendarLabels(createI18n("bo", { calendar: boCalendar, pairings: boPairings }).t);
const enLabels = calendarLabels(createI18n("en", { calendar: enCalendar, pairings: enPairings }).t);

function session(overrides: Partial<CalendarSession> = {}): CalendarSession {
  return {
    id: "0b6f1c2e-6d5a-4e8b-9a51-3c1f0e2d4b7a",
    title: "《春晓》同步课堂",
    startsAt: new Date("2026-12-01T01:00:00Z"),
    endsAt: new Date("2026-12-01T01:45:00Z"),
    status: "scheduled",
    mainSchoolName: "合川区瑞山小学",
    mainClassroomName: "三年级（1）班",
    receivingSchoolNames: ["ཀླུ་མདོ་སློབ་ཆུང་", "类乌齐县第一小学"],
    lessonPlanTitle: "《春晓》教案",
    cancelReason: null,
    sequence: 0,
    updatedAt: new Date("2026-11-20T08:30:00Z"),
    ...overrides,
  };
}

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents("vevent").map((component) => ({ component, event: new ICAL.Event(component) }));
  return { calendar, events };
}

const feed = (sessions: CalendarSession[], labels = zhLabels) =>
  sessionsCalendar({ name: "同课 · 我的同步课堂", sessions, baseUrl: "https://tongke.example", labels });

describe("sessionsCalendar", () => {
  it("writes one event per session with its identity, instants, link and place", () => {
    const rescheduled = session({
      id: "5d2c7a90-1f3e-4b6d-8c2a-9e0f1a2b3c4d",
      title: "Unit 3 reading",
      startsAt: new Date("2026-12-03T06:30:00Z"),
      endsAt: new Date("2026-12-03T07:10:00Z"),
      lessonPlanTitle: null,
      sequence: 2,
      updatedAt: new Date("2026-11-25T02:00:00Z"),
    });
    const text = feed([session(), rescheduled]);
    const { calendar, events } = parse(text);

    expect(calendar.name).toBe("vcalendar");
    expect(calendar.getFirstPropertyValue("prodid")).toBe("-//Tongke//Tongke 同课//ZH");
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("同课 · 我的同步课堂");
    expect(text).toContain("X-PUBLISHED-TTL:PT1H\r\n");
    expect(events).toHaveLength(2);

    const [first, second] = events.map((e) => e.event);
    expect(first.uid).toBe("0b6f1c2e-6d5a-4e8b-9a51-3c1f0e2d4b7a@tongke");
    expect(first.summary).toBe("《春晓》同步课堂");
    expect(first.startDate.toJSDate()).toEqual(new Date("2026-12-01T01:00:00Z"));
    expect(first.endDate.toJSDate()).toEqual(new Date("2026-12-01T01:45:00Z"));
    expect(first.startDate.zone.tzid).toBe("UTC");
    expect(first.location).toBe("三年级（1）班");
    expect(first.sequence).toBe(0);
    expect(events[0].component.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(events[0].component.getFirstPropertyValue("url")).toBe("https://tongke.example/live/0b6f1c2e-6d5a-4e8b-9a51-3c1f0e2d4b7a");

    expect(second.uid).toBe("5d2c7a90-1f3e-4b6d-8c2a-9e0f1a2b3c4d@tongke");
    expect(second.startDate.toJSDate()).toEqual(new Date("2026-12-03T06:30:00Z"));
    expect(second.endDate.toJSDate()).toEqual(new Date("2026-12-03T07:10:00Z"));
    expect(second.sequence).toBe(2);
    const stamp = (name: string) => (events[1].component.getFirstPropertyValue(name) as ICAL.Time).toJSDate();
    expect(stamp("last-modified")).toEqual(new Date("2026-11-25T02:00:00Z"));
    expect(stamp("dtstamp")).toEqual(new Date("2026-11-25T02:00:00Z"));
  });

  it("describes the schools, classroom and lesson plan in the reader's language, Chinese and Tibetan intact", () => {
    const [zh] = parse(feed([session()])).events.map((e) => e.event.description);
    expect(zh.split("\n")).toEqual([
      "主讲学校: 合川区瑞山小学",
      "主讲教室: 三年级（1）班",
      "接收学校: ཀླུ་མདོ་སློབ་ཆུང་、类乌齐县第一小学",
      "教案: 《春晓》教案",
      "",
      "https://tongke.example/live/0b6f1c2e-6d5a-4e8b-9a51-3c1f0e2d4b7a",
    ]);

    const [bo] = parse(feed([session({ lessonPlanTitle: null })], boLabels)).events.map((e) => e.event.description);
    expect(bo).toContain(`${boLabels.mainSchool}: 合川区瑞山小学`);
    expect(bo).toContain(`${boLabels.receivingSchools}: ཀླུ་མདོ་སློབ་ཆུང་། 类乌齐县第一小学`);
    expect(bo).not.toContain(boLabels.lessonPlan);
  });

  it("folds long lines at 75 octets without splitting a character", () => {
    const tibetan = "ཀླུ་མདོ་རྫོང་གི་སློབ་ཆུང་དང་རི་བོ་ཆེ་རྫོང་གི་སློབ་ཆུང་གཉིས་ཀྱི་དུས་མཉམ་སློབ་ཁྲིད། 🏔️ 春眠不觉晓，处处闻啼鸟。";
    const text = feed([session({ title: tibetan, receivingSchoolNames: ["རི་བོ་ཆེ་རྫོང་སློབ་ཆུང་དང་པོ།", "ཀླུ་མདོ་སློབ་ཆུང་"] })]);
    const lines = text.split("\r\n");
    expect(lines.some((line) => line.startsWith(" "))).toBe(true);
    for (const line of lines) {
      expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
      // A lone surrogate (half an emoji) would not survive the trip through UTF-8.
      expect(Buffer.from(line, "utf8").toString("utf8")).toBe(line);
    }
    const [{ event }] = parse(text).events;
    expect(event.summary).toBe(tibetan);
    expect(event.description).toContain("རི་བོ་ཆེ་རྫོང་སློབ་ཆུང་དང་པོ།、ཀླུ་མདོ་སློབ་ཆུང་");
  });

  it("marks a cancelled session cancelled, with the translated prefix and the reason", () => {
    const cancelled = session({ status: "cancelled", cancelReason: "网络中断，改期", sequence: 1 });
    const [{ component, event }] = parse(feed([cancelled], enLabels)).events;
    expect(component.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(event.summary).toBe(`${enLabels.cancelled} 《春晓》同步课堂`);
    expect(enLabels.cancelled).toBe(enCalendar.cancelledPrefix);
    expect(event.description).toContain(`${enLabels.cancelReason}: 网络中断，改期`);
    expect(event.sequence).toBe(1);

    const [{ event: zh }] = parse(feed([cancelled])).events;
    expect(zh.summary).toBe(`${zhCalendar.cancelledPrefix} 《春晓》同步课堂`);
  });

  it("writes a valid calendar with no sessions", () => {
    const text = feed([]);
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text.trimEnd().endsWith("END:VCALENDAR")).toBe(true);
    const { calendar, events } = parse(text);
    expect(events).toEqual([]);
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
  });

  it("keeps commas, semicolons, backslashes and newlines in titles, places and the calendar name", () => {
    const title = '第3课, 第1部分; "复习"\n课后: C:\\作业';
    const text = sessionsCalendar({
      name: "Riwoche, Hechuan;\n2026",
      sessions: [session({ title, mainClassroomName: "Room 3; east, 2F", lessonPlanTitle: "A, B; C" })],
      baseUrl: "https://tongke.example",
      labels: enLabels,
    });
    const { calendar, events } = parse(text);
    // X- properties are TEXT by default (RFC 5545 §3.8.8.2) but ical.js leaves unknown ones escaped.
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Riwoche\\, Hechuan\\;\\n2026");
    expect(events[0].event.summary).toBe(title);
    expect(events[0].event.location).toBe("Room 3; east, 2F");
    expect(events[0].event.description).toContain(`${enLabels.lessonPlan}: A, B; C\n`);
  });
});

describe("feed tokens", () => {
  it("are 32 random bytes in base64url, different every time", () => {
    const tokens = new Set(Array.from({ length: 50 }, generateFeedToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
    }
  });

  it("are stored as their SHA-256 in hex", () => {
    const token = generateFeedToken();
    expect(hashFeedToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashFeedToken(token)).toBe(hashFeedToken(token));
    expect(hashFeedToken(token)).not.toBe(hashFeedToken(generateFeedToken()));
    expect(hashFeedToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashFeedToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import {
  MAX_WEEKLY_OCCURRENCES,
  SCHOOL_TIME_ZONE,
  formatSchoolDateTime,
  formatSchoolTimeRange,
  isoWeekOf,
  parseIsoWeek,
  parseSchoolLocal,
  schoolDayKey,
  shiftIsoWeek,
  toSchoolLocalInput,
  weekDays,
  weeklyOccurrences,
} from "./time";

const utc = (iso: string) => new Date(iso);
const isos = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("Beijing wall time", () => {
  it("reads a datetime-local value as Asia/Shanghai and writes it back", () => {
    expect(SCHOOL_TIME_ZONE).toBe("Asia/Shanghai");
    expect(parseSchoolLocal("2026-12-01T09:00")).toEqual(utc("2026-12-01T01:00:00Z"));
    expect(parseSchoolLocal("2026-12-01T09:00:30")).toEqual(utc("2026-12-01T01:00:30Z"));
    expect(parseSchoolLocal("2026-12-01T07:30")).toEqual(utc("2026-11-30T23:30:00Z"));
    expect(toSchoolLocalInput(utc("2026-12-01T01:00:00Z"))).toBe("2026-12-01T09:00");
    expect(toSchoolLocalInput(utc("2026-12-31T16:30:00Z"))).toBe("2027-01-01T00:30");
    expect(schoolDayKey(utc("2026-11-30T16:00:00Z"))).toBe("2026-12-01");
    expect(schoolDayKey(utc("2026-11-30T15:59:59Z"))).toBe("2026-11-30");
  });

  it.each([
    "",
    "junk",
    "2026-12-01",
    "2026-12-01 09:00",
    "2026-12-01T9:00",
    "2026-02-30T09:00",
    "2026-13-01T09:00",
    "2026-12-01T24:00",
    "2026-12-01T09:60",
    "2026-12-01T09:00Z",
  ])("refuses %j", (value) => {
    expect(parseSchoolLocal(value)).toBeNull();
  });

  it("accepts 29 February only in a leap year", () => {
    expect(parseSchoolLocal("2028-02-29T08:00")).toEqual(utc("2028-02-29T00:00:00Z"));
    expect(parseSchoolLocal("2027-02-29T08:00")).toBeNull();
  });
});

describe("weeklyOccurrences", () => {
  const start = utc("2026-11-19T01:00:00Z"); // Thursday 09:00 in Beijing
  const end = utc("2026-11-19T01:45:00Z");

  it("is just the session without an end date", () => {
    expect(weeklyOccurrences(start, end, null)).toEqual([{ startsAt: start, endsAt: end }]);
  });

  it("repeats at the same wall time across a month boundary, including the last day", () => {
    const occurrences = weeklyOccurrences(start, end, "2026-12-10");
    expect(isos(occurrences.map((o) => o.startsAt))).toEqual([
      "2026-11-19T01:00:00.000Z",
      "2026-11-26T01:00:00.000Z",
      "2026-12-03T01:00:00.000Z",
      "2026-12-10T01:00:00.000Z",
    ]);
    expect(occurrences.every((o) => o.endsAt.getTime() - o.startsAt.getTime() === 45 * 60_000)).toBe(true);
    expect(weeklyOccurrences(start, end, "2026-12-09")).toHaveLength(3);
  });

  it("crosses the year boundary, judging the end date by Beijing days", () => {
    // 07:30 in Beijing is still the previous day in UTC.
    const early = utc("2026-12-16T23:30:00Z");
    const occurrences = weeklyOccurrences(early, utc("2026-12-17T00:15:00Z"), "2027-01-07");
    expect(occurrences.map((o) => toSchoolLocalInput(o.startsAt))).toEqual([
      "2026-12-17T07:30",
      "2026-12-24T07:30",
      "2026-12-31T07:30",
      "2027-01-07T07:30",
    ]);
    expect(toSchoolLocalInput(occurrences[3].endsAt)).toBe("2027-01-07T08:15");
  });

  it("keeps only the first when the end date is before it", () => {
    expect(weeklyOccurrences(start, end, "2026-11-01")).toHaveLength(1);
  });

  it("refuses more than max occurrences", () => {
    expect(weeklyOccurrences(start, end, "2026-12-10", 4)).toHaveLength(4);
    expect(() => weeklyOccurrences(start, end, "2026-12-17", 4)).toThrow(RangeError);
    expect(MAX_WEEKLY_OCCURRENCES).toBe(30);
    expect(weeklyOccurrences(start, end, "2027-06-10")).toHaveLength(30);
    expect(() => weeklyOccurrences(start, end, "2027-06-17")).toThrow(RangeError);
  });

  it("refuses a session that ends before it starts, and a malformed end date", () => {
    expect(() => weeklyOccurrences(end, start, null)).toThrow(RangeError);
    expect(() => weeklyOccurrences(start, start, null)).toThrow(RangeError);
    expect(() => weeklyOccurrences(start, end, "2026-12-32")).toThrow(RangeError);
    expect(() => weeklyOccurrences(start, end, "next week")).toThrow(RangeError);
  });
});

describe("ISO weeks in Beijing", () => {
  it("parses a week to Monday 00:00 Beijing and the next Monday", () => {
    expect(parseIsoWeek("2026-W49")).toEqual({ start: utc("2026-11-29T16:00:00Z"), end: utc("2026-12-06T16:00:00Z") });
    // Week 1 of 2026 starts in December 2025.
    expect(parseIsoWeek("2026-W01")).toEqual({ start: utc("2025-12-28T16:00:00Z"), end: utc("2026-01-04T16:00:00Z") });
  });

  it("knows 2026 has 53 weeks (1 January 2026 is a Thursday) and 2025 only 52", () => {
    expect(parseIsoWeek("2026-W53")).toEqual({ start: utc("2026-12-27T16:00:00Z"), end: utc("2027-01-03T16:00:00Z") });
    expect(parseIsoWeek("2025-W52")).not.toBeNull();
    expect(parseIsoWeek("2025-W53")).toBeNull();
  });

  it.each(["", "2026-W00", "2026-W54", "2026-W5", "2026W49", "2026-w49", "2026-W49-1"])("refuses %j", (week) => {
    expect(parseIsoWeek(week)).toBeNull();
  });

  it("names the week an instant falls in on Beijing clocks", () => {
    expect(isoWeekOf(utc("2026-12-01T01:00:00Z"))).toBe("2026-W49");
    // Sunday 23:59 vs Monday 00:00 in Beijing.
    expect(isoWeekOf(utc("2026-12-06T15:59:00Z"))).toBe("2026-W49");
    expect(isoWeekOf(utc("2026-12-06T16:00:00Z"))).toBe("2026-W50");
    // 1 January 2027 (a Friday) still belongs to 2026-W53; 1 January 2026 to 2026-W01.
    expect(isoWeekOf(utc("2026-12-31T20:00:00Z"))).toBe("2026-W53");
    expect(isoWeekOf(utc("2025-12-31T20:00:00Z"))).toBe("2026-W01");
  });

  it("shifts across year boundaries", () => {
    expect(shiftIsoWeek("2026-W49", 1)).toBe("2026-W50");
    expect(shiftIsoWeek("2026-W52", 1)).toBe("2026-W53");
    expect(shiftIsoWeek("2026-W53", 1)).toBe("2027-W01");
    expect(shiftIsoWeek("2027-W01", -1)).toBe("2026-W53");
    expect(shiftIsoWeek("2026-W01", -1)).toBe("2025-W52");
    expect(shiftIsoWeek("2026-W49", 0)).toBe("2026-W49");
    expect(shiftIsoWeek("2026-W49", -52)).toBe("2025-W49");
    expect(() => shiftIsoWeek("2025-W53", 1)).toThrow(RangeError);
  });

  it("lists the seven Beijing days of a week", () => {
    const days = weekDays("2026-W49");
    expect(days.map((d) => d.key)).toEqual([
      "2026-11-30",
      "2026-12-01",
      "2026-12-02",
      "2026-12-03",
      "2026-12-04",
      "2026-12-05",
      "2026-12-06",
    ]);
    expect(days[0].start).toEqual(utc("2026-11-29T16:00:00Z"));
    expect(days[6].end).toEqual(utc("2026-12-06T16:00:00Z"));
    expect(days.every((d, i) => i === 0 || d.start.getTime() === days[i - 1].end.getTime())).toBe(true);
    expect(weekDays("2026-W53").map((d) => d.key)).toEqual([
      "2026-12-28",
      "2026-12-29",
      "2026-12-30",
      "2026-12-31",
      "2027-01-01",
      "2027-01-02",
      "2027-01-03",
    ]);
    expect(() => weekDays("2026-W54")).toThrow(RangeError);
  });
});

describe("formatting on Beijing clocks", () => {
  afterEach(() => vi.restoreAllMocks());

  const nine = utc("2026-12-01T01:00:00Z");
  const quarterToTen = utc("2026-12-01T01:45:00Z");

  it("formats Chinese", () => {
    expect(formatSchoolDateTime(nine, "zh-CN")).toBe("2026年12月1日 09:00");
    expect(formatSchoolDateTime(nine, "zh-CN", "date")).toBe("2026年12月1日");
    expect(formatSchoolDateTime(nine, "zh-CN", "time")).toBe("09:00");
    expect(formatSchoolDateTime(nine, "zh-CN", "weekdayDate")).toBe("12月1日星期二");
    expect(formatSchoolTimeRange(nine, quarterToTen, "zh-CN")).toBe("09:00–09:45");
  });

  it("formats English on a 24-hour clock", () => {
    expect(formatSchoolDateTime(nine, "en")).toBe("Dec 1, 2026, 09:00");
    expect(formatSchoolDateTime(nine, "en", "date")).toBe("Dec 1, 2026");
    expect(formatSchoolDateTime(utc("2026-12-01T10:05:00Z"), "en", "time")).toBe("18:05");
    expect(formatSchoolDateTime(nine, "en", "weekdayDate")).toBe("Tuesday, December 1");
  });

  it("formats Tibetan readably whether or not the runtime has Tibetan locale data", () => {
    const expected = ["2026-12-01 09:00", "2026-12-01", "09:00", "2026-12-01 གཟའ་མིག་དམར་", "09:00–09:45"];
    const formatAll = () => [
      formatSchoolDateTime(nine, "bo"),
      formatSchoolDateTime(nine, "bo", "date"),
      formatSchoolDateTime(nine, "bo", "time"),
      formatSchoolDateTime(nine, "bo", "weekdayDate"),
      formatSchoolTimeRange(nine, quarterToTen, "bo"),
    ];
    expect(formatAll()).toEqual(expected);
    // As in a browser without "bo" data: the output must not change, or hydration would disagree.
    vi.spyOn(Intl.DateTimeFormat, "supportedLocalesOf").mockReturnValue([]);
    expect(formatAll()).toEqual(expected);
    expect(weekDays("2026-W49").map((d) => formatSchoolDateTime(d.start, "bo", "weekdayDate").split(" ")[1])).toEqual([
      "གཟའ་ཟླ་བ་",
      "གཟའ་མིག་དམར་",
      "གཟའ་ལྷག་པ་",
      "གཟའ་ཕུར་བུ་",
      "གཟའ་པ་སངས་",
      "གཟའ་སྤེན་པ་",
      "གཟའ་ཉི་མ་",
    ]);
  });

  it("uses the Beijing day, not the UTC day, and spells out both ends of a range across midnight", () => {
    const lateEvening = utc("2026-12-01T15:30:00Z"); // 23:30 in Beijing
    const afterMidnight = utc("2026-12-01T16:30:00Z"); // 00:30 the next day
    expect(formatSchoolDateTime(afterMidnight, "zh-CN", "date")).toBe("2026年12月2日");
    expect(formatSchoolTimeRange(lateEvening, afterMidnight, "en")).toBe("Dec 1, 2026, 23:30 – Dec 2, 2026, 00:30");
    expect(formatSchoolTimeRange(lateEvening, afterMidnight, "bo")).toBe("2026-12-01 23:30 – 2026-12-02 00:30");
  });
});

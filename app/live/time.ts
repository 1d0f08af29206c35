import { TZDate, tz } from "@date-fns/tz";
import { addDays, addWeeks, format, getISOWeek, getISOWeekYear, getISOWeeksInYear, startOfISOWeek } from "date-fns";
import { DEFAULT_LOCALE, isLocale, type Locale } from "~/i18n/config";

/** Sessions are stored in UTC and always shown on the clocks of the schools, which all keep Beijing time. */
export const SCHOOL_TIME_ZONE = "Asia/Shanghai";
export const MAX_WEEKLY_OCCURRENCES = 30;

const inSchool = tz(SCHOOL_TIME_ZONE);
const plain = (date: Date) => new Date(date.getTime());

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;
const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

function wallTime(parts: [number, number, number, number, number, number]): Date | null {
  const [year, month, day, hours, minutes, seconds] = parts;
  const date = new TZDate(year, month - 1, day, hours, minutes, seconds, SCHOOL_TIME_ZONE);
  // Date rolls 30 February over into March; a value that does not read back as written never existed.
  const same =
    date.getFullYear() === year &&
    date.getMonth() === month - 1 &&
    date.getDate() === day &&
    date.getHours() === hours &&
    date.getMinutes() === minutes &&
    date.getSeconds() === seconds;
  return same ? plain(date) : null;
}

/** An `<input type="datetime-local">` value read as Beijing wall time: "2026-12-01T09:00" → 2026-12-01T01:00Z. */
export function parseSchoolLocal(value: string): Date | null {
  const match = LOCAL_INPUT.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s = "0"] = match;
  return wallTime([Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)]);
}

/** The value a `datetime-local` input needs to show `date` on Beijing clocks. */
export function toSchoolLocalInput(date: Date): string {
  return format(date, "yyyy-MM-dd'T'HH:mm", { in: inSchool });
}

/** The Beijing calendar day of an instant, "2026-12-01". */
export function schoolDayKey(date: Date): string {
  return format(date, "yyyy-MM-dd", { in: inSchool });
}

function parseDayKey(key: string): Date | null {
  const match = DATE_KEY.exec(key);
  return match ? wallTime([Number(match[1]), Number(match[2]), Number(match[3]), 0, 0, 0]) : null;
}

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

/**
 * The first session and one a week after it at the same Beijing wall time, up to and including
 * `untilDate` (a Beijing day, "2026-12-31"). Throws a RangeError past `max` occurrences.
 */
export function weeklyOccurrences(startsAt: Date, endsAt: Date, untilDate: string | null, max = MAX_WEEKLY_OCCURRENCES): Occurrence[] {
  if (!(endsAt.getTime() > startsAt.getTime())) throw new RangeError("A session must end after it starts");
  if (untilDate !== null && parseDayKey(untilDate) === null) throw new RangeError(`Not a date: ${untilDate}`);
  const occurrences: Occurrence[] = [];
  for (let week = 0; ; week++) {
    const start = addWeeks(startsAt, week, { in: inSchool });
    if (week > 0 && (untilDate === null || schoolDayKey(start) > untilDate)) return occurrences;
    if (occurrences.length === max) throw new RangeError(`More than ${max} weekly sessions`);
    occurrences.push({ startsAt: plain(start), endsAt: plain(addWeeks(endsAt, week, { in: inSchool })) });
  }
}

export interface WeekRange {
  /** Monday 00:00 in Beijing. */
  start: Date;
  /** The next Monday 00:00 in Beijing (exclusive). */
  end: Date;
}

/** "2026-W49" → that ISO week's Monday to next Monday in Beijing; null for junk or a week the year lacks. */
export function parseIsoWeek(week: string): WeekRange | null {
  const match = ISO_WEEK.exec(week);
  if (!match) return null;
  // 4 January always falls in week 1 of its ISO year.
  const fourthOfJanuary = new TZDate(Number(match[1]), 0, 4, SCHOOL_TIME_ZONE);
  const number = Number(match[2]);
  if (number < 1 || number > getISOWeeksInYear(fourthOfJanuary)) return null;
  const start = addWeeks(startOfISOWeek(fourthOfJanuary), number - 1);
  return { start: plain(start), end: plain(addWeeks(start, 1)) };
}

function requireIsoWeek(week: string): WeekRange {
  const range = parseIsoWeek(week);
  if (!range) throw new RangeError(`Not an ISO week: ${week}`);
  return range;
}

/** The ISO week an instant falls in on Beijing clocks, "2026-W49". */
export function isoWeekOf(date: Date): string {
  const local = new TZDate(date.getTime(), SCHOOL_TIME_ZONE);
  return `${String(getISOWeekYear(local)).padStart(4, "0")}-W${String(getISOWeek(local)).padStart(2, "0")}`;
}

export function shiftIsoWeek(week: string, delta: number): string {
  return isoWeekOf(addWeeks(requireIsoWeek(week).start, delta, { in: inSchool }));
}

export interface WeekDay {
  key: string;
  start: Date;
  end: Date;
}

/** Monday to Sunday of an ISO week as Beijing days. */
export function weekDays(week: string): WeekDay[] {
  const monday = new TZDate(requireIsoWeek(week).start.getTime(), SCHOOL_TIME_ZONE);
  return Array.from({ length: 7 }, (_, i) => {
    const start = addDays(monday, i);
    return { key: schoolDayKey(start), start: plain(start), end: plain(addDays(start, 1)) };
  });
}

export type SchoolDateStyle = "dateTime" | "date" | "time" | "weekdayDate" | "month";

const INTL_OPTIONS: Record<SchoolDateStyle, Intl.DateTimeFormatOptions> = {
  dateTime: { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  date: { year: "numeric", month: "short", day: "numeric" },
  time: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  weekdayDate: { weekday: "long", month: "long", day: "numeric" },
  month: { year: "numeric", month: "short" },
};

/** Index 0 is Sunday, as Date#getDay counts (CLDR names). */
const TIBETAN_WEEKDAYS = ["གཟའ་ཉི་མ་", "གཟའ་ཟླ་བ་", "གཟའ་མིག་དམར་", "གཟའ་ལྷག་པ་", "གཟའ་ཕུར་བུ་", "གཟའ་པ་སངས་", "གཟའ་སྤེན་པ་"];

/*
 * Tibetan is spelled out by hand: browsers such as Chromium ship a trimmed CLDR without
 * "bo", so Intl would fall back to another language in the browser while Node formats
 * Tibetan, and hydration would disagree. Numeric year-month-day reads the same to everyone.
 */
function formatTibetan(date: Date, style: SchoolDateStyle): string {
  const local = new TZDate(date.getTime(), SCHOOL_TIME_ZONE);
  switch (style) {
    case "dateTime":
      return formatSchoolStamp(date);
    case "date":
      return format(local, "yyyy-MM-dd");
    case "time":
      return format(local, "HH:mm");
    case "weekdayDate":
      return `${format(local, "yyyy-MM-dd")} ${TIBETAN_WEEKDAYS[local.getDay()]}`;
    case "month":
      return format(local, "yyyy-MM");
  }
}

/**
 * A sortable stamp on Beijing clocks, the same in every language: 2026-11-29 08:50 (the
 * dashboard's table and its exports, Tibetan date-times).
 */
export function formatSchoolStamp(date: Date): string {
  return format(new TZDate(date.getTime(), SCHOOL_TIME_ZONE), "yyyy-MM-dd HH:mm");
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Exclude<Locale, "bo">, style: SchoolDateStyle): Intl.DateTimeFormat {
  const key = `${locale} ${style}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, { ...INTL_OPTIONS[style], timeZone: SCHOOL_TIME_ZONE });
    formatters.set(key, cached);
  }
  return cached;
}

/** An instant on Beijing clocks in the reader's language, always on a 24-hour clock. */
export function formatSchoolDateTime(date: Date, locale: Locale, style: SchoolDateStyle = "dateTime"): string {
  return locale === "bo" ? formatTibetan(date, style) : formatter(locale, style).format(date);
}

/**
 * A formatter for one style in the page's language (i18n.language): the one way pages show
 * dates, identical on the server and in the browser (hydration) in every language.
 */
export function schoolDateFormat(language: string, style: SchoolDateStyle) {
  const locale = isLocale(language) ? language : DEFAULT_LOCALE;
  return { format: (date: Date) => formatSchoolDateTime(date, locale, style) };
}

/** "09:00–09:45" when both ends fall on one Beijing day, else both ends in full. */
export function formatSchoolTimeRange(start: Date, end: Date, locale: Locale): string {
  if (schoolDayKey(start) === schoolDayKey(end)) {
    return `${formatSchoolDateTime(start, locale, "time")}–${formatSchoolDateTime(end, locale, "time")}`;
  }
  return `${formatSchoolDateTime(start, locale)} – ${formatSchoolDateTime(end, locale)}`;
}

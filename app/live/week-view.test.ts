import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { StaticRouter } from "react-router-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { createI18n } from "~/i18n/client";
import type { Locale } from "~/i18n/config";
import boCalendar from "../../public/locales/bo/calendar.json";
import boPairings from "../../public/locales/bo/pairings.json";
import enCalendar from "../../public/locales/en/calendar.json";
import enPairings from "../../public/locales/en/pairings.json";
import zhCalendar from "../../public/locales/zh-CN/calendar.json";
import zhPairings from "../../public/locales/zh-CN/pairings.json";
import { WeekView, type WeekSession } from "./week-view";

const STRINGS = {
  "zh-CN": { calendar: zhCalendar, pairings: zhPairings },
  bo: { calendar: boCalendar, pairings: boPairings },
  en: { calendar: enCalendar, pairings: enPairings },
};

const sessions: WeekSession[] = [
  {
    id: "s-late",
    title: "Unit 3 reading",
    startsAt: new Date("2026-12-03T06:30:00Z"),
    endsAt: new Date("2026-12-03T07:10:00Z"),
    status: "cancelled",
    mainSchoolName: "合川区瑞山小学",
    receivingSchoolNames: ["类乌齐县第一小学"],
  },
  {
    id: "s-spring",
    title: "《春晓》",
    // 07:30 Thursday in Beijing is still Wednesday in UTC.
    startsAt: new Date("2026-12-02T23:30:00Z"),
    endsAt: new Date("2026-12-03T00:15:00Z"),
    status: "scheduled",
    mainSchoolName: "合川区瑞山小学",
    receivingSchoolNames: ["ཀླུ་མདོ་སློབ་ཆུང་", "类乌齐县第一小学"],
  },
  {
    id: "s-live",
    title: "ཀླུ་མདོ་སློབ་ཆུང་གི་གླུ་གཞས།",
    startsAt: new Date("2026-11-30T02:00:00Z"),
    endsAt: new Date("2026-11-30T02:40:00Z"),
    status: "live",
    mainSchoolName: "ཀླུ་མདོ་སློབ་ཆུང་",
    receivingSchoolNames: ["合川区瑞山小学"],
  },
];

function render(lang: Locale, props: Partial<Parameters<typeof WeekView>[0]> = {}) {
  const i18n = createI18n(lang, STRINGS[lang]);
  return renderToStaticMarkup(
    createElement(
      StaticRouter,
      { location: "/live" },
      createElement(
        I18nextProvider,
        { i18n },
        createElement(WeekView, {
          week: "2026-W49",
          sessions,
          lang,
          hrefFor: (id: string) => `/live/${id}`,
          weekHref: (week: string) => `/live?week=${week}`,
          now: new Date("2026-12-01T04:00:00Z"),
          ...props,
        }),
      ),
    ),
  );
}

/** The markup of one day: from its heading to the next day. */
function day(html: string, key: string) {
  const start = html.indexOf(`<time dateTime="${key}">`);
  expect(start).toBeGreaterThan(-1);
  const next = html.indexOf('<li class="card week-view__day', start);
  return html.slice(start, next === -1 ? undefined : next);
}

const text = (html: string) => html.replace(/<[^>]+>/g, "");

describe("WeekView", () => {
  let consoleError: MockInstance<typeof console.error>;
  beforeEach(() => {
    consoleError = vi.spyOn(console, "error");
  });
  afterEach(() => {
    expect(consoleError).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it("heads the week with its dates and links to the weeks around it", () => {
    const html = render("zh-CN");
    expect(html).toMatch(/<h2 id="[^"]+" class="week-view__heading">2026年11月30日 至 2026年12月6日<\/h2>/);
    expect(html).toMatch(/<nav aria-label="切换周">/);
    expect(html).toMatch(/<a [^>]*rel="prev"[^>]*href="\/live\?week=2026-W48"><span aria-hidden="true">← <\/span>上一周<\/a>/);
    expect(html).toMatch(/<a [^>]*rel="next"[^>]*href="\/live\?week=2026-W50">下一周<span aria-hidden="true"> →<\/span><\/a>/);
    expect(html).toMatch(/<a [^>]*aria-current="page"[^>]*href="\/live\?week=2026-W49">本周<\/a>/);
  });

  it("points 'this week' at the current week from elsewhere, and crosses the year", () => {
    const html = render("en", { week: "2026-W53", sessions: [] });
    expect(html).toContain("Dec 28, 2026 – Jan 3, 2027");
    expect(html).toMatch(/rel="prev"[^>]*href="\/live\?week=2026-W52"/);
    expect(html).toMatch(/rel="next"[^>]*href="\/live\?week=2027-W01"/);
    expect(html).toMatch(/href="\/live\?week=2026-W49">This week<\/a>/);
    expect(html).not.toContain("aria-current");
  });

  it("lists the seven Beijing days in order, each with a heading, and says when a day is empty", () => {
    const html = render("zh-CN");
    const headings = [...html.matchAll(/<h3 class="week-view__day-heading"><time dateTime="([\d-]+)">([^<]+)<\/time>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(headings).toEqual([
      ["2026-11-30", "11月30日星期一"],
      ["2026-12-01", "12月1日星期二"],
      ["2026-12-02", "12月2日星期三"],
      ["2026-12-03", "12月3日星期四"],
      ["2026-12-04", "12月4日星期五"],
      ["2026-12-05", "12月5日星期六"],
      ["2026-12-06", "12月6日星期日"],
    ]);
    expect(html.match(/没有同步课堂/g)).toHaveLength(5);
    expect(day(html, "2026-12-02")).toContain("没有同步课堂");
    expect(day(html, "2026-12-01")).toContain('<span class="week-view__today">今天</span>');
    expect(html.match(/aria-current="date"/g)).toHaveLength(1);
  });

  it("shows each session on its Beijing day, in time order, with its time, link, status and schools", () => {
    const thursday = day(render("zh-CN"), "2026-12-03");
    expect(text(thursday).indexOf("07:30–08:15")).toBeLessThan(text(thursday).indexOf("14:30–15:10"));
    expect(thursday).toMatch(
      /<p id="([^"]+)" class="week-view__time">07:30–08:15<\/p><p class="week-view__title"><a aria-describedby="\1 ([^"]+)"[^>]* href="\/live\/s-spring">《春晓》<\/a> <span id="\2" class="badge week-view__badge week-view__badge--scheduled">已安排<\/span>/,
    );
    expect(thursday).toContain(
      '<p class="week-view__schools"><span class="visually-hidden">主讲学校 </span><span>合川区瑞山小学</span><span aria-hidden="true"> → </span><span class="visually-hidden">接收学校 </span><span lang="bo">ཀླུ་མདོ་སློབ་ཆུང་</span>、<span>类乌齐县第一小学</span></p>',
    );
    expect(thursday).toContain('<li class="week-view__session week-view__session--cancelled">');
    expect(thursday).toContain('week-view__badge--cancelled">已取消</span>');

    const monday = day(render("zh-CN"), "2026-11-30");
    expect(monday).toMatch(/<a lang="bo"[^>]* href="\/live\/s-live">/);
    expect(monday).toContain("上课中");
  });

  it("ignores sessions outside the week", () => {
    const html = render("en", { week: "2026-W50" });
    expect(html.match(/No live classes/g)).toHaveLength(7);
    expect(html).not.toContain("/live/s-");
  });

  it("speaks Tibetan and English", () => {
    const bo = render("bo");
    expect(bo).toContain("2026-11-30 ནས་ 2026-12-06 བར།");
    expect(bo).toContain(">2026-12-03 གཟའ་ཕུར་བུ་</time>");
    expect(bo).toContain("གཟའ་འཁོར་སྔ་མ།");
    expect(bo).toContain(">གཏན་འཁེལ་བྱས་ཟིན།</span>");
    expect(bo).toContain('<span>ཀླུ་མདོ་སློབ་ཆུང་</span>། <span lang="zh-CN">类乌齐县第一小学</span>');
    // The Tibetan title needs no tag under a Tibetan interface; the Chinese one does.
    expect(bo).toMatch(/<a aria-describedby="[^"]+" data-discover="true" href="\/live\/s-live">/);
    expect(bo).toMatch(/<a lang="zh-CN"[^>]* href="\/live\/s-spring">/);

    const en = render("en");
    expect(en).toContain("Nov 30, 2026 – Dec 6, 2026");
    expect(en).toContain(">Thursday, December 3</time>");
    expect(en).toContain("07:30–08:15");
    expect(en).toContain(">Live now</span>");
    expect(en).toContain('<span class="visually-hidden">Receiving schools </span>');
  });
});

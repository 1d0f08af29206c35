import { Link } from "@remix-run/react";
import { Fragment, useId } from "react";
import { useTranslation } from "react-i18next";
import type { LiveSessionStatus } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import "~/styles/week-view.css";
import { formatSchoolDateTime, formatSchoolTimeRange, isoWeekOf, schoolDayKey, shiftIsoWeek, weekDays, type WeekDay } from "./time";

export interface WeekSession {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: LiveSessionStatus;
  mainSchoolName: string;
  receivingSchoolNames: string[];
}

export interface WeekViewProps {
  /** An ISO week, "2026-W49"; the route validates it with parseIsoWeek first. */
  week: string;
  sessions: WeekSession[];
  lang: Locale;
  hrefFor: (sessionId: string) => string;
  weekHref: (week: string) => string;
  /** Marks today and this week; pass the request time to render both sides alike. */
  now?: Date;
}

const STATUS = {
  scheduled: "calendar:status.scheduled",
  live: "calendar:status.live",
  ended: "calendar:status.ended",
  cancelled: "calendar:status.cancelled",
} as const satisfies Record<LiveSessionStatus, string>;

/** One week of live sessions, Monday to Sunday on Beijing clocks. */
export function WeekView({ week, sessions, lang, hrefFor, weekHref, now = new Date() }: WeekViewProps) {
  const { t } = useTranslation("calendar");
  const headingId = useId();
  const days = weekDays(week);
  const thisWeek = isoWeekOf(now);
  const today = schoolDayKey(now);
  const byDay = new Map<string, WeekSession[]>();
  for (const session of [...sessions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
    const key = schoolDayKey(session.startsAt);
    byDay.set(key, [...(byDay.get(key) ?? []), session]);
  }
  const range = {
    from: formatSchoolDateTime(days[0].start, lang, "date"),
    to: formatSchoolDateTime(days[6].start, lang, "date"),
  };

  return (
    <section className="week-view" aria-labelledby={headingId}>
      <div className="week-view__bar">
        <h2 id={headingId} className="week-view__heading">
          {t("calendar:week.heading", range)}
        </h2>
        <nav aria-label={t("calendar:week.navigation")}>
          <ul className="week-view__nav">
            <li>
              <Link className="button button--quiet" to={weekHref(shiftIsoWeek(week, -1))} rel="prev">
                <span aria-hidden="true">← </span>
                {t("calendar:week.previous")}
              </Link>
            </li>
            <li>
              <Link className="button button--quiet" to={weekHref(thisWeek)} aria-current={week === thisWeek ? "page" : undefined}>
                {t("calendar:week.thisWeek")}
              </Link>
            </li>
            <li>
              <Link className="button button--quiet" to={weekHref(shiftIsoWeek(week, 1))} rel="next">
                {t("calendar:week.next")}
                <span aria-hidden="true"> →</span>
              </Link>
            </li>
          </ul>
        </nav>
      </div>
      <ol className="week-view__days">
        {days.map((day) => (
          <Day key={day.key} day={day} sessions={byDay.get(day.key) ?? []} isToday={day.key === today} lang={lang} hrefFor={hrefFor} />
        ))}
      </ol>
    </section>
  );
}

interface DayProps {
  day: WeekDay;
  sessions: WeekSession[];
  isToday: boolean;
  lang: Locale;
  hrefFor: (sessionId: string) => string;
}

function Day({ day, sessions, isToday, lang, hrefFor }: DayProps) {
  const { t } = useTranslation("calendar");
  return (
    <li className={`card week-view__day${isToday ? " week-view__day--today" : ""}`} aria-current={isToday ? "date" : undefined}>
      <h3 className="week-view__day-heading">
        <time dateTime={day.key}>{formatSchoolDateTime(day.start, lang, "weekdayDate")}</time>
        {isToday ? <span className="week-view__today">{t("calendar:week.today")}</span> : null}
      </h3>
      {sessions.length === 0 ? (
        <p className="week-view__empty">{t("calendar:week.empty")}</p>
      ) : (
        <ul className="week-view__sessions">
          {sessions.map((session) => (
            <SessionItem key={session.id} session={session} lang={lang} href={hrefFor(session.id)} />
          ))}
        </ul>
      )}
    </li>
  );
}

function SessionItem({ session, lang, href }: { session: WeekSession; lang: Locale; href: string }) {
  const { t } = useTranslation("calendar");
  const timeId = useId();
  const statusId = useId();
  return (
    <li className={`week-view__session week-view__session--${session.status}`}>
      <p id={timeId} className="week-view__time">
        {formatSchoolTimeRange(session.startsAt, session.endsAt, lang)}
      </p>
      <p className="week-view__title">
        {/* Read with its time and status when reached by Tab, out of the list's context. */}
        <Link to={href} lang={scriptLang(session.title, lang)} aria-describedby={`${timeId} ${statusId}`}>
          {session.title}
        </Link>{" "}
        <span id={statusId} className={`badge week-view__badge week-view__badge--${session.status}`}>
          {t(STATUS[session.status])}
        </span>
      </p>
      <p className="week-view__schools">
        <span className="visually-hidden">{t("calendar:school.main")} </span>
        <span lang={scriptLang(session.mainSchoolName, lang)}>{session.mainSchoolName}</span>
        {session.receivingSchoolNames.length > 0 ? (
          <>
            <span aria-hidden="true"> → </span>
            <span className="visually-hidden">{t("calendar:school.receiving")} </span>
            {session.receivingSchoolNames.map((name, i) => (
              <Fragment key={i}>
                {i > 0 ? t("pairings:listSeparator") : null}
                <span lang={scriptLang(name, lang)}>{name}</span>
              </Fragment>
            ))}
          </>
        ) : null}
      </p>
    </li>
  );
}

/**
 * Names and titles are typed in Tibetan or Chinese whatever the interface language: tag the
 * other script so it gets its font, line height and screen-reader voice.
 */
function scriptLang(text: string, uiLang: Locale): "bo" | "zh-CN" | undefined {
  const tibetan = text.match(/\p{sc=Tibetan}/gu)?.length ?? 0;
  const han = text.match(/\p{sc=Han}/gu)?.length ?? 0;
  const lang = tibetan === 0 && han === 0 ? undefined : tibetan > han ? "bo" : "zh-CN";
  return lang === uiLang ? undefined : lang;
}

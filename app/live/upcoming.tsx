import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { LiveSessionStatus } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { LocalizedName, type Names } from "~/i18n/localized-name";
import { LiveStatusBadge } from "./status-badge";
import { formatSchoolDateTime, formatSchoolTimeRange } from "./time";

export interface UpcomingSession {
  id: string;
  title: string;
  status: LiveSessionStatus;
  startsAt: string | Date;
  endsAt: string | Date;
  mainSchool: Names;
  mainClassroom: string;
  receiving: { classroomId: string; school: Names; classroom: string }[];
}

/** The next live classes: when (Beijing time), what, and which schools take part. */
export function UpcomingSessions({ sessions, locale }: { sessions: UpcomingSession[]; locale: Locale }) {
  const { t } = useTranslation("live");
  if (sessions.length === 0) return <p className="muted">{t("upcoming.none")}</p>;
  return (
    <ul className="plain-list upcoming">
      {sessions.map((s) => {
        const start = new Date(s.startsAt);
        return (
          <li key={s.id} className="upcoming__item">
            <time dateTime={start.toISOString()} className="upcoming__time">
              {formatSchoolDateTime(start, locale, "weekdayDate")} {formatSchoolTimeRange(start, new Date(s.endsAt), locale)}
            </time>{" "}
            <Link to={`/live/${s.id}`}>{s.title}</Link> <LiveStatusBadge status={s.status} />
            <br />
            <span className="muted">
              <LocalizedName names={s.mainSchool} locale={locale} /> · {s.mainClassroom} →{" "}
              {s.receiving.map((r, i) => (
                <span key={r.classroomId}>
                  {i > 0 ? t("pairings:listSeparator") : null}
                  <LocalizedName names={r.school} locale={locale} /> · {r.classroom}
                </span>
              ))}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

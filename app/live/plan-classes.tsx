import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { LiveSessionStatus } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { LiveStatusBadge } from "./status-badge";
import { formatSchoolDateTime } from "./time";

/** On a plan's page: the live classes taught from it and what their teachers reflected. */
export function PlanClasses({
  classes,
  locale,
}: {
  classes: {
    sessionId: string;
    title: string;
    status: LiveSessionStatus;
    startsAt: string | Date;
    reflections: { authorName: string | null; body: string }[];
  }[];
  locale: Locale;
}) {
  const { t } = useTranslation("live");
  return (
    <section className="card" aria-labelledby="plan-classes">
      <h2 id="plan-classes">{t("planClasses.heading")}</h2>
      {classes.length === 0 ? (
        <p className="muted">{t("planClasses.none")}</p>
      ) : (
        <ul className="plain-list">
          {classes.map((c) => (
            <li key={c.sessionId} className="upcoming__item">
              <time dateTime={new Date(c.startsAt).toISOString()} className="upcoming__time">
                {formatSchoolDateTime(new Date(c.startsAt), locale)}
              </time>{" "}
              <Link to={`/live/${c.sessionId}`}>{c.title}</Link> <LiveStatusBadge status={c.status} />
              {c.reflections.map((r, i) => (
                <blockquote key={i} className="reflection">
                  <p className="prewrap">{r.body}</p>
                  <footer className="muted">— {r.authorName}</footer>
                </blockquote>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

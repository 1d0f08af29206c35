import { createHash, randomBytes } from "node:crypto";
import ical, { ICalEventStatus, escape } from "ical-generator";
import type { LiveSessionStatus } from "~/db/enums";

export interface CalendarSession {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: LiveSessionStatus;
  mainSchoolName: string;
  mainClassroomName: string;
  receivingSchoolNames: string[];
  lessonPlanTitle: string | null;
  cancelReason: string | null;
  /** Raised each time the session is rescheduled, so clients replace their copy. */
  sequence: number;
  updatedAt: Date;
}

/** The feed is written in its reader's language: every word in it comes from here. */
export interface CalendarLabels {
  cancelled: string;
  mainSchool: string;
  mainClassroom: string;
  receivingSchools: string;
  lessonPlan: string;
  cancelReason: string;
  listSeparator: string;
}

/** The labels in the reader's language, from a `t` with the calendar and pairings namespaces loaded. */
export function calendarLabels(t: (key: string) => string): CalendarLabels {
  return {
    cancelled: t("calendar:cancelledPrefix"),
    mainSchool: t("calendar:school.main"),
    mainClassroom: t("calendar:school.mainClassroom"),
    receivingSchools: t("calendar:school.receiving"),
    lessonPlan: t("calendar:lessonPlan"),
    cancelReason: t("calendar:cancelReason"),
    listSeparator: t("pairings:listSeparator"),
  };
}

export interface SessionsCalendarOptions {
  name: string;
  sessions: CalendarSession[];
  /** Origin the links point at, without a trailing slash: "https://tongke.example". */
  baseUrl: string;
  labels: CalendarLabels;
  /** How often subscribed clients should refetch; an hour unless told otherwise. */
  ttlSeconds?: number;
}

function describe(session: CalendarSession, labels: CalendarLabels, url: string): string {
  const lines = [
    `${labels.mainSchool}: ${session.mainSchoolName}`,
    `${labels.mainClassroom}: ${session.mainClassroomName}`,
    `${labels.receivingSchools}: ${session.receivingSchoolNames.join(labels.listSeparator)}`,
  ];
  if (session.lessonPlanTitle) lines.push(`${labels.lessonPlan}: ${session.lessonPlanTitle}`);
  if (session.status === "cancelled" && session.cancelReason) lines.push(`${labels.cancelReason}: ${session.cancelReason}`);
  // Outlook and several phone apps never show the URL property; the link in the text is what people tap.
  lines.push("", url);
  return lines.join("\n");
}

/**
 * A subscribable iCalendar feed of live sessions.
 *
 * Times are written in UTC ("…Z"): every client converts those correctly, whereas TZID=Asia/Shanghai
 * needs a VTIMEZONE block (ical-generator only emits one with an extra timezone generator) and
 * clients that meet a TZID without it guess, or fall back to floating time.
 */
export function sessionsCalendar({ name, sessions, baseUrl, labels, ttlSeconds = 3600 }: SessionsCalendarOptions): string {
  // ical-generator writes NAME and X-WR-CALNAME unescaped.
  const calendar = ical({ name: escape(name, false), prodId: "//Tongke//Tongke 同课//ZH", ttl: ttlSeconds });
  for (const session of sessions) {
    const url = `${baseUrl}/live/${session.id}`;
    const cancelled = session.status === "cancelled";
    calendar.createEvent({
      id: `${session.id}@tongke`,
      summary: cancelled ? `${labels.cancelled} ${session.title}` : session.title,
      start: session.startsAt,
      end: session.endsAt,
      description: describe(session, labels, url),
      location: session.mainClassroomName,
      url,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      sequence: session.sequence,
      // The feed is rebuilt on every fetch: a stamp of "now" would make every event look new to clients.
      stamp: session.updatedAt,
      lastModified: session.updatedAt,
    });
  }
  return calendar.toString();
}

/** The secret in a personal feed URL; only its hash is stored. */
export function generateFeedToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashFeedToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

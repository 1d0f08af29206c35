import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { LessonPlanStatus } from "~/db/enums";
import { PlanStatusBadge } from "./plan-meta";
import { schoolDateFormat } from "~/live/time";

export interface PlanListItem {
  id: string;
  title: string;
  subject: string;
  grade: number;
  status: LessonPlanStatus;
  leadAuthorName: string | null;
  baseplanId: string | null;
  updatedAt: string | Date;
}

export function PlanList({ plans }: { plans: PlanListItem[] }) {
  const { t, i18n } = useTranslation("lessonPlans");
  const date = schoolDateFormat(i18n.language, "date");
  if (plans.length === 0) return <p className="muted">{t("list.none")}</p>;
  return (
    <ul className="plain-list">
      {plans.map((p) => (
        <li key={p.id}>
          <Link to={`/lesson-plans/${p.id}`}>{p.title}</Link> <PlanStatusBadge status={p.status} />
          {p.baseplanId ? <span className="badge">{t("list.adaptation")}</span> : null}
          <br />
          <span className="muted">
            {t(`pairings:subjects.${p.subject}`)} · {t(`grades.${p.grade}`)} ·{" "}
            {t("list.lead", { name: p.leadAuthorName ?? t("unknownPerson") })} ·{" "}
            <time dateTime={new Date(p.updatedAt).toISOString()}>{date.format(new Date(p.updatedAt))}</time>
          </span>
        </li>
      ))}
    </ul>
  );
}

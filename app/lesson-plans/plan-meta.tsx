import { useTranslation } from "react-i18next";
import type { LessonPlanStatus } from "~/db/enums";

export function PlanStatusBadge({ status }: { status: LessonPlanStatus }) {
  const { t } = useTranslation("lessonPlans");
  return <span className={`badge badge--plan-${status}`}>{t(`status.${status}`)}</span>;
}

/** Subject · grade · unit · periods · lead author, as one line. */
export function PlanFacts(props: {
  subject: string;
  grade: number;
  textbookUnit?: string | null;
  periods?: number;
  leadAuthorName: string | null;
  coauthors?: { displayName: string | null }[];
}) {
  const { t } = useTranslation("lessonPlans");
  return (
    <dl className="facts">
      <div>
        <dt>{t("form.subject")}</dt>
        <dd>{t(`pairings:subjects.${props.subject}`)}</dd>
      </div>
      <div>
        <dt>{t("form.grade")}</dt>
        <dd>{t(`grades.${props.grade}`)}</dd>
      </div>
      {props.textbookUnit ? (
        <div>
          <dt>{t("form.textbookUnit")}</dt>
          <dd>{props.textbookUnit}</dd>
        </div>
      ) : null}
      {props.periods ? (
        <div>
          <dt>{t("form.periods")}</dt>
          <dd>{props.periods}</dd>
        </div>
      ) : null}
      <div>
        <dt>{t("form.leadAuthor")}</dt>
        <dd>{props.leadAuthorName ?? t("unknownPerson")}</dd>
      </div>
      {props.coauthors?.length ? (
        <div>
          <dt>{t("form.coauthors")}</dt>
          <dd>{props.coauthors.map((c) => c.displayName ?? t("unknownPerson")).join(t("pairings:listSeparator"))}</dd>
        </div>
      ) : null}
    </dl>
  );
}

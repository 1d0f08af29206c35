import { useForm } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import {
  ChoiceGroupField,
  Field,
  FormError,
  type FormField,
  type FormResult,
  parseForm,
  SelectField,
  TextareaField,
  ValidatedForm,
} from "~/components/form";
import { LIVE_SESSION_CHANGE_REASONS, OBSERVATION_CRITERIA } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { DurationField } from "./duration-input";
import { CancelSchema, HeadcountSchema, ObservationSchema, ReflectionSchema, RescheduleSchema } from "./schemas";
import { formatSchoolDateTime } from "./time";

export type SessionActionResult = { intent: string; reply: FormResult } | undefined;

const replyFor = (result: SessionActionResult, intent: string) => (result?.intent === intent ? result.reply : undefined);

function ReasonSelect({ field }: { field: FormField }) {
  const { t } = useTranslation("live");
  return (
    <SelectField field={field} label={t("change.reason")} placeholder={t("form.choose")}>
      {LIVE_SESSION_CHANGE_REASONS.map((r) => (
        <option key={r} value={r}>
          {t(`reasons.${r}`)}
        </option>
      ))}
    </SelectField>
  );
}

/** Move or cancel a scheduled class, each with a reason code that the dashboard counts. */
export function ChangeForms({
  result,
  defaults,
  canMove,
}: {
  result: SessionActionResult;
  defaults: { startsAt: string; durationMinutes: string };
  /** False while the pairing is paused: the class can be cancelled, not moved. */
  canMove: boolean;
}) {
  const { t } = useTranslation("live");
  const [moveForm, move] = useForm({
    id: "reschedule",
    lastResult: replyFor(result, "reschedule"),
    defaultValue: defaults as never,
    onValidate: ({ formData }) => parseForm(formData, { schema: RescheduleSchema }),
    shouldValidate: "onSubmit",
  });
  const [cancelForm, cancel] = useForm({
    id: "cancel",
    lastResult: replyFor(result, "cancel"),
    onValidate: ({ formData }) => parseForm(formData, { schema: CancelSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <section className="card" aria-labelledby="change-heading">
      <h2 id="change-heading">{t("change.heading")}</h2>
      <div className="grid-2">
        {canMove ? (
          <ValidatedForm form={moveForm} method="post" className="stack" aria-labelledby="reschedule-heading">
            <h3 id="reschedule-heading">{t("change.reschedule")}</h3>
            <input type="hidden" name="intent" value="reschedule" />
            <FormError id={moveForm.errorId} errors={moveForm.errors} />
            <Field field={move.startsAt} label={t("form.startsAt")} type="datetime-local" />
            <DurationField field={move.durationMinutes} label={t("form.duration")} />
            <ReasonSelect field={move.reason} />
            <Field field={move.note} label={t("change.note")} maxLength={500} />
            <button type="submit" className="button">
              {t("change.rescheduleSubmit")}
            </button>
          </ValidatedForm>
        ) : (
          <p className="notice">{t("change.pausedNoMove")}</p>
        )}
        <ValidatedForm form={cancelForm} method="post" className="stack" aria-labelledby="cancel-heading">
          <h3 id="cancel-heading">{t("change.cancel")}</h3>
          <input type="hidden" name="intent" value="cancel" />
          <FormError id={cancelForm.errorId} errors={cancelForm.errors} />
          <ReasonSelect field={cancel.reason} />
          <Field field={cancel.note} label={t("change.note")} maxLength={500} />
          <button type="submit" className="button button--danger">
            {t("change.cancelSubmit")}
          </button>
        </ValidatedForm>
      </div>
    </section>
  );
}

/** The class's own teacher enters how many students were there: a number, never a name. */
export function HeadcountForm({
  classroom,
  current,
  result,
}: {
  classroom: { id: string; name: string };
  current: number | null;
  result: SessionActionResult;
}) {
  const { t } = useTranslation("live");
  const [form, fields] = useForm({
    id: `headcount-${classroom.id}`,
    lastResult: replyFor(result, "headcount"),
    defaultValue: { headcount: current === null ? "" : String(current) },
    onValidate: ({ formData }) => parseForm(formData, { schema: HeadcountSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <ValidatedForm form={form} method="post" className="inline-fields">
      <input type="hidden" name="intent" value="headcount" />
      <input type="hidden" name="classroomId" value={classroom.id} />
      <FormError id={form.errorId} errors={form.errors} />
      <Field
        field={fields.headcount}
        label={t("after.headcountFor", { classroom: classroom.name })}
        type="number"
        min={0}
        max={200}
        inputMode="numeric"
      />
      <button type="submit" className="button button--secondary">
        {t("after.saveHeadcount")}
      </button>
    </ValidatedForm>
  );
}

/** 听评课: each criterion scored 1–5, and notes. */
export function ObservationForm({
  current,
  result,
}: {
  current: { rubric: Record<string, number>; notes: string } | null;
  result: SessionActionResult;
}) {
  const { t } = useTranslation("live");
  const [form, fields] = useForm({
    id: "observation",
    lastResult: replyFor(result, "observation"),
    defaultValue: current
      ? { rubric: Object.fromEntries(Object.entries(current.rubric).map(([k, v]) => [k, String(v)])), notes: current.notes }
      : undefined,
    onValidate: ({ formData }) => parseForm(formData, { schema: ObservationSchema }),
    shouldValidate: "onSubmit",
  });
  const rubric = fields.rubric.getFieldset();
  return (
    <ValidatedForm form={form} method="post" className="stack" aria-labelledby="observation-heading">
      <h3 id="observation-heading">{t(current ? "after.reviseObservation" : "after.observe")}</h3>
      <input type="hidden" name="intent" value="observation" />
      <FormError id={form.errorId} errors={form.errors} />
      {OBSERVATION_CRITERIA.map((criterion) => (
        <ChoiceGroupField
          key={criterion}
          field={rubric[criterion]}
          legend={t(`rubric.${criterion}`)}
          type="radio"
          className="rubric"
          listClassName="rubric__scores"
          itemClassName="rubric__score"
          options={[1, 2, 3, 4, 5].map((score) => ({ value: String(score), label: <span>{t(`rubric.score${score}`)}</span> }))}
        />
      ))}
      <TextareaField field={fields.notes} label={t("after.notes")} rows={5} maxLength={5000} />
      <button type="submit" className="button">
        {t("after.submitObservation")}
      </button>
    </ValidatedForm>
  );
}

export function ReflectionForm({ current, result }: { current: string | null; result: SessionActionResult }) {
  const { t } = useTranslation("live");
  const [form, fields] = useForm({
    id: "reflection",
    lastResult: replyFor(result, "reflection"),
    defaultValue: { body: current ?? "" },
    onValidate: ({ formData }) => parseForm(formData, { schema: ReflectionSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <ValidatedForm form={form} method="post" className="stack">
      <input type="hidden" name="intent" value="reflection" />
      <FormError id={form.errorId} errors={form.errors} />
      <TextareaField field={fields.body} label={t(current ? "after.reviseReflection" : "after.reflection")} rows={6} maxLength={5000} />
      <button type="submit" className="button">
        {t("after.saveReflection")}
      </button>
    </ValidatedForm>
  );
}

export function ChangeHistory({
  changes,
  locale,
}: {
  changes: {
    kind: string;
    reason: string;
    note: string | null;
    previousStartsAt: string | Date;
    startsAt: string | Date | null;
    actorName: string | null;
  }[];
  locale: Locale;
}) {
  const { t } = useTranslation("live");
  if (changes.length === 0) return null;
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">{t("change.history")}</h2>
      <ul className="plain-list">
        {changes.map((c, i) => (
          <li key={i}>
            {t(`change.${c.kind}Entry`, {
              who: c.actorName ?? "",
              reason: t(`reasons.${c.reason}`),
              from: formatSchoolDateTime(new Date(c.previousStartsAt), locale),
              to: c.startsAt ? formatSchoolDateTime(new Date(c.startsAt), locale) : "",
            })}
            {c.note ? <span className="muted"> — {c.note}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

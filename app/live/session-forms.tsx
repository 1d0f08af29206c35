import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, FormError } from "~/components/form";
import { LIVE_SESSION_CHANGE_REASONS, OBSERVATION_CRITERIA } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { DurationInput } from "./duration-input";
import { CancelSchema, HeadcountSchema, ObservationSchema, ReflectionSchema, RescheduleSchema } from "./schemas";
import { formatSchoolDateTime } from "./time";

export type SessionActionResult = { intent: string; reply: SubmissionResult<string[]> } | undefined;

const replyFor = (result: SessionActionResult, intent: string) => (result?.intent === intent ? result.reply : undefined);

function ReasonSelect({ field }: { field: FieldMetadata<string> }) {
  const { t } = useTranslation("live");
  return (
    <div className="field">
      <label htmlFor={field.id}>{t("change.reason")}</label>
      <select {...getSelectProps(field)}>
        <option value="">{t("form.choose")}</option>
        {LIVE_SESSION_CHANGE_REASONS.map((r) => (
          <option key={r} value={r}>
            {t(`reasons.${r}`)}
          </option>
        ))}
      </select>
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
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
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RescheduleSchema }),
    shouldValidate: "onSubmit",
  });
  const [cancelForm, cancel] = useForm({
    id: "cancel",
    lastResult: replyFor(result, "cancel"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CancelSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <section className="card" aria-labelledby="change-heading">
      <h2 id="change-heading">{t("change.heading")}</h2>
      <div className="grid-2">
        {canMove ? (
          <Form method="post" {...getFormProps(moveForm)} className="stack" aria-labelledby="reschedule-heading">
            <h3 id="reschedule-heading">{t("change.reschedule")}</h3>
            <input type="hidden" name="intent" value="reschedule" />
            <FormError id={moveForm.errorId} errors={moveForm.errors} />
            <div className="field">
              <label htmlFor={move.startsAt.id}>{t("form.startsAt")}</label>
              <input {...getInputProps(move.startsAt, { type: "datetime-local" })} />
              <FieldError id={move.startsAt.errorId} errors={move.startsAt.errors} />
            </div>
            <div className="field">
              <label htmlFor={move.durationMinutes.id}>{t("form.duration")}</label>
              <DurationInput field={move.durationMinutes} />
            </div>
            <ReasonSelect field={move.reason} />
            <div className="field">
              <label htmlFor={move.note.id}>{t("change.note")}</label>
              <input {...getInputProps(move.note, { type: "text" })} maxLength={500} />
              <FieldError id={move.note.errorId} errors={move.note.errors} />
            </div>
            <button type="submit" className="button">
              {t("change.rescheduleSubmit")}
            </button>
          </Form>
        ) : (
          <p className="notice">{t("change.pausedNoMove")}</p>
        )}
        <Form method="post" {...getFormProps(cancelForm)} className="stack" aria-labelledby="cancel-heading">
          <h3 id="cancel-heading">{t("change.cancel")}</h3>
          <input type="hidden" name="intent" value="cancel" />
          <FormError id={cancelForm.errorId} errors={cancelForm.errors} />
          <ReasonSelect field={cancel.reason} />
          <div className="field">
            <label htmlFor={cancel.note.id}>{t("change.note")}</label>
            <input {...getInputProps(cancel.note, { type: "text" })} maxLength={500} />
            <FieldError id={cancel.note.errorId} errors={cancel.note.errors} />
          </div>
          <button type="submit" className="button button--danger">
            {t("change.cancelSubmit")}
          </button>
        </Form>
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
    onValidate: ({ formData }) => parseWithZod(formData, { schema: HeadcountSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="inline-fields">
      <input type="hidden" name="intent" value="headcount" />
      <input type="hidden" name="classroomId" value={classroom.id} />
      <FormError id={form.errorId} errors={form.errors} />
      <div className="field">
        <label htmlFor={fields.headcount.id}>{t("after.headcountFor", { classroom: classroom.name })}</label>
        <input {...getInputProps(fields.headcount, { type: "number" })} min={0} max={200} inputMode="numeric" />
        <FieldError id={fields.headcount.errorId} errors={fields.headcount.errors} />
      </div>
      <button type="submit" className="button button--secondary">
        {t("after.saveHeadcount")}
      </button>
    </Form>
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
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ObservationSchema }),
    shouldValidate: "onSubmit",
  });
  const rubric = fields.rubric.getFieldset();
  return (
    <Form method="post" {...getFormProps(form)} className="stack" aria-labelledby="observation-heading">
      <h3 id="observation-heading">{t(current ? "after.reviseObservation" : "after.observe")}</h3>
      <input type="hidden" name="intent" value="observation" />
      <FormError id={form.errorId} errors={form.errors} />
      {OBSERVATION_CRITERIA.map((criterion) => {
        const field = rubric[criterion];
        return (
          <fieldset key={criterion} className="field rubric" aria-describedby={field.errorId}>
            <legend>{t(`rubric.${criterion}`)}</legend>
            <div className="rubric__scores">
              {[1, 2, 3, 4, 5].map((score) => (
                <label key={score} className="rubric__score">
                  <input type="radio" name={field.name} value={score} defaultChecked={field.initialValue === String(score)} />
                  <span>{t(`rubric.score${score}`)}</span>
                </label>
              ))}
            </div>
            <FieldError id={field.errorId} errors={field.errors} />
          </fieldset>
        );
      })}
      <div className="field">
        <label htmlFor={fields.notes.id}>{t("after.notes")}</label>
        <textarea {...getTextareaProps(fields.notes)} rows={5} maxLength={5000} />
        <FieldError id={fields.notes.errorId} errors={fields.notes.errors} />
      </div>
      <button type="submit" className="button">
        {t("after.submitObservation")}
      </button>
    </Form>
  );
}

export function ReflectionForm({ current, result }: { current: string | null; result: SessionActionResult }) {
  const { t } = useTranslation("live");
  const [form, fields] = useForm({
    id: "reflection",
    lastResult: replyFor(result, "reflection"),
    defaultValue: { body: current ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReflectionSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value="reflection" />
      <FormError id={form.errorId} errors={form.errors} />
      <div className="field">
        <label htmlFor={fields.body.id}>{t(current ? "after.reviseReflection" : "after.reflection")}</label>
        <textarea {...getTextareaProps(fields.body)} rows={6} maxLength={5000} />
        <FieldError id={fields.body.errorId} errors={fields.body.errors} />
      </div>
      <button type="submit" className="button">
        {t("after.saveReflection")}
      </button>
    </Form>
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

import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, FormError } from "~/components/form";
import { ScheduleSessionSchema } from "./schemas";
import { DurationInput } from "./duration-input";

export interface SchoolOption {
  id: string;
  name: string;
}

interface SessionFormProps {
  schools: SchoolOption[];
  classrooms: { id: string; name: string; schoolId: string }[];
  teachers: { id: string; name: string | null; schoolId: string }[];
  plans: { id: string; title: string }[];
  defaultValue: Record<string, unknown>;
  lastResult?: SubmissionResult<string[]> | null;
}

/**
 * Options grouped by school, so that "三年级一班" of each side cannot be confused; classrooms
 * also carry their school in their own text, which is all a closed list shows.
 */
function GroupedOptions<T extends { id: string; schoolId: string }>({
  schools,
  items,
  label,
  withSchool = false,
}: {
  schools: SchoolOption[];
  items: T[];
  label: (item: T) => string;
  withSchool?: boolean;
}) {
  return (
    <>
      {schools.map((school) => {
        const ofSchool = items.filter((i) => i.schoolId === school.id);
        if (ofSchool.length === 0) return null;
        return (
          <optgroup key={school.id} label={school.name}>
            {ofSchool.map((item) => (
              <option key={item.id} value={item.id}>
                {withSchool ? `${label(item)} · ${school.name}` : label(item)}
              </option>
            ))}
          </optgroup>
        );
      })}
    </>
  );
}

/** Scheduling a live class: the plan, the main and receiving classrooms, the time and an optional weekly recurrence. */
export function SessionForm({ schools, classrooms, teachers, plans, defaultValue, lastResult }: SessionFormProps) {
  const { t } = useTranslation("live");
  const [form, fields] = useForm({
    id: "schedule-session",
    lastResult,
    defaultValue: defaultValue as never,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ScheduleSessionSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const receiving = fields.receiving.getFieldList();
  const teacherName = (p: { name: string | null }) => p.name ?? t("unnamed");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormError id={form.errorId} errors={form.errors} />
      <div className="field">
        <label htmlFor={fields.title.id}>{t("form.title")}</label>
        <input {...getInputProps(fields.title, { type: "text" })} maxLength={200} autoComplete="off" />
        <FieldError id={fields.title.errorId} errors={fields.title.errors} />
      </div>
      <div className="field">
        <label htmlFor={fields.lessonPlanId.id}>{t("form.lessonPlan")}</label>
        <select {...getSelectProps(fields.lessonPlanId)}>
          <option value="">{t("form.noPlan")}</option>
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
        <FieldError id={fields.lessonPlanId.errorId} errors={fields.lessonPlanId.errors} />
      </div>
      <fieldset className="field">
        <legend>{t("form.main")}</legend>
        <div className="grid-2">
          <div className="field">
            <label htmlFor={fields.mainClassroomId.id}>{t("form.mainClassroom")}</label>
            <select {...getSelectProps(fields.mainClassroomId)}>
              <option value="">{t("form.choose")}</option>
              <GroupedOptions schools={schools} items={classrooms} label={(c) => c.name} withSchool />
            </select>
            <FieldError id={fields.mainClassroomId.errorId} errors={fields.mainClassroomId.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.mainTeacherId.id}>{t("form.mainTeacher")}</label>
            <select {...getSelectProps(fields.mainTeacherId)}>
              <option value="">{t("form.choose")}</option>
              <GroupedOptions schools={schools} items={teachers} label={teacherName} />
            </select>
            <FieldError id={fields.mainTeacherId.errorId} errors={fields.mainTeacherId.errors} />
          </div>
        </div>
      </fieldset>
      <fieldset className="field" aria-describedby={fields.receiving.errorId}>
        <legend>{t("form.receiving")}</legend>
        <FieldError id={fields.receiving.errorId} errors={fields.receiving.errors} />
        {receiving.map((row, index) => {
          const cells = row.getFieldset();
          return (
            <div key={row.key} className="grid-2 receiving-row">
              <div className="field">
                <label htmlFor={cells.classroomId.id}>{t("form.receivingClassroom", { n: index + 1 })}</label>
                <select {...getSelectProps(cells.classroomId)}>
                  <option value="">{t("form.choose")}</option>
                  <GroupedOptions schools={schools} items={classrooms} label={(c) => c.name} withSchool />
                </select>
                <FieldError id={cells.classroomId.errorId} errors={cells.classroomId.errors} />
              </div>
              <div className="field">
                <label htmlFor={cells.teacherId.id}>{t("form.receivingTeacher", { n: index + 1 })}</label>
                <select {...getSelectProps(cells.teacherId)}>
                  <option value="">{t("form.choose")}</option>
                  <GroupedOptions schools={schools} items={teachers} label={teacherName} />
                </select>
                <FieldError id={cells.teacherId.errorId} errors={cells.teacherId.errors} />
              </div>
              {receiving.length > 1 ? (
                <button className="button button--secondary" {...form.remove.getButtonProps({ name: fields.receiving.name, index })}>
                  {t("form.removeReceiving", { n: index + 1 })}
                </button>
              ) : null}
            </div>
          );
        })}
        {receiving.length < 6 ? (
          <button
            className="button button--secondary"
            {...form.insert.getButtonProps({ name: fields.receiving.name, defaultValue: { classroomId: "", teacherId: "" } })}
          >
            {t("form.addReceiving")}
          </button>
        ) : null}
      </fieldset>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={fields.startsAt.id}>{t("form.startsAt")}</label>
          <input
            {...getInputProps(fields.startsAt, { type: "datetime-local" })}
            aria-describedby={`${fields.startsAt.id}-hint ${fields.startsAt.errorId}`}
          />
          <p id={`${fields.startsAt.id}-hint`} className="muted">
            {t("form.timeZoneHint")}
          </p>
          <FieldError id={fields.startsAt.errorId} errors={fields.startsAt.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.durationMinutes.id}>{t("form.duration")}</label>
          <DurationInput field={fields.durationMinutes} />
        </div>
      </div>
      <fieldset className="field">
        <legend>{t("form.recurrence")}</legend>
        <label className="checkbox">
          <input {...getInputProps(fields.repeatWeekly, { type: "checkbox" })} />
          {t("form.repeatWeekly")}
        </label>
        <div className="field">
          <label htmlFor={fields.repeatUntil.id}>{t("form.repeatUntil")}</label>
          <input {...getInputProps(fields.repeatUntil, { type: "date" })} />
          <FieldError id={fields.repeatUntil.errorId} errors={fields.repeatUntil.errors} />
        </div>
      </fieldset>
      <button type="submit" className="button">
        {t("form.schedule")}
      </button>
    </Form>
  );
}

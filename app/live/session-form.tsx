import { type FieldName, useForm } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { CheckboxField, Field, FieldError, FormError, type FormResult, parseForm, SelectField, ValidatedForm } from "~/components/form";
import { DurationField } from "./duration-input";
import { ScheduleSessionSchema } from "./schemas";

type ReceivingRow = { classroomId: string; teacherId: string };

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
  lastResult?: FormResult | null;
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
    onValidate: ({ formData }) => parseForm(formData, { schema: ScheduleSessionSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const receiving = fields.receiving.getFieldList();
  // Conform's list intents type the name without the form's message type.
  const receivingName = fields.receiving.name as FieldName<ReceivingRow[]>;
  const teacherName = (p: { name: string | null }) => p.name ?? t("unnamed");
  return (
    <ValidatedForm form={form} method="post" className="stack">
      <FormError id={form.errorId} errors={form.errors} />
      <Field field={fields.title} label={t("form.title")} maxLength={200} autoComplete="off" />
      <SelectField field={fields.lessonPlanId} label={t("form.lessonPlan")} placeholder={t("form.noPlan")}>
        {plans.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </SelectField>
      <fieldset className="field">
        <legend>{t("form.main")}</legend>
        <div className="grid-2">
          <SelectField field={fields.mainClassroomId} label={t("form.mainClassroom")} placeholder={t("form.choose")}>
            <GroupedOptions schools={schools} items={classrooms} label={(c) => c.name} withSchool />
          </SelectField>
          <SelectField field={fields.mainTeacherId} label={t("form.mainTeacher")} placeholder={t("form.choose")}>
            <GroupedOptions schools={schools} items={teachers} label={teacherName} />
          </SelectField>
        </div>
      </fieldset>
      <fieldset className="field" aria-describedby={fields.receiving.errorId}>
        <legend>{t("form.receiving")}</legend>
        <FieldError id={fields.receiving.errorId} errors={fields.receiving.errors} />
        {receiving.map((row, index) => {
          const cells = row.getFieldset();
          return (
            <div key={row.key} className="grid-2 receiving-row">
              <SelectField field={cells.classroomId} label={t("form.receivingClassroom", { n: index + 1 })} placeholder={t("form.choose")}>
                <GroupedOptions schools={schools} items={classrooms} label={(c) => c.name} withSchool />
              </SelectField>
              <SelectField field={cells.teacherId} label={t("form.receivingTeacher", { n: index + 1 })} placeholder={t("form.choose")}>
                <GroupedOptions schools={schools} items={teachers} label={teacherName} />
              </SelectField>
              {receiving.length > 1 ? (
                <button className="button button--secondary" {...form.remove.getButtonProps({ name: receivingName, index })}>
                  {t("form.removeReceiving", { n: index + 1 })}
                </button>
              ) : null}
            </div>
          );
        })}
        {receiving.length < 6 ? (
          <button
            className="button button--secondary"
            {...form.insert.getButtonProps({ name: receivingName, defaultValue: { classroomId: "", teacherId: "" } })}
          >
            {t("form.addReceiving")}
          </button>
        ) : null}
      </fieldset>
      <div className="grid-2">
        <Field field={fields.startsAt} label={t("form.startsAt")} type="datetime-local" description={t("form.timeZoneHint")} />
        <DurationField field={fields.durationMinutes} label={t("form.duration")} />
      </div>
      <fieldset className="field">
        <legend>{t("form.recurrence")}</legend>
        <CheckboxField field={fields.repeatWeekly} label={t("form.repeatWeekly")} />
        <Field field={fields.repeatUntil} label={t("form.repeatUntil")} type="date" />
      </fieldset>
      <button type="submit" className="button">
        {t("form.schedule")}
      </button>
    </ValidatedForm>
  );
}

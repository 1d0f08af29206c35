import { useForm } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormError, type FormResult, parseForm, SelectField, ValidatedForm } from "~/components/form";
import { LANGUAGES, MEMBERSHIP_ROLES, type MembershipRole } from "~/db/enums";
import { LANGUAGE_NAMES, type Locale } from "~/i18n/config";
import { AddClassroomSchema, InviteSchema } from "./schemas";

type ActionResult = { intent: string; reply: FormResult } | undefined;

interface Person {
  userId: string;
  role: MembershipRole;
  displayName: string;
}

/** A one-button form: "Remove", named for screen readers by what it removes. */
function RemoveButton({ fields, label }: { fields: Record<string, string>; label: string }) {
  const { t } = useTranslation("school");
  return (
    <Form method="post" className="inline-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="button button--quiet button--small" aria-label={label}>
        {t("remove")}
      </button>
    </Form>
  );
}

export function PeopleCard({ people, canManage, me, result }: { people: Person[]; canManage: boolean; me: string; result: ActionResult }) {
  const { t } = useTranslation("school");
  const groups = [
    ["school_admin", t("admins")],
    ["teacher", t("teachers")],
  ] as const;
  const error = result?.intent === "remove-member" ? result.reply.error?.[""] : undefined;
  return (
    <section className="card" aria-labelledby="people">
      <h2 id="people">{t("people")}</h2>
      <FormError id="remove-member-error" errors={error ?? undefined} />
      {people.length === 0 ? (
        <p className="muted">{t("peopleHidden")}</p>
      ) : (
        groups.map(([role, title]) => {
          const members = people.filter((p) => p.role === role);
          if (role === "school_admin" && members.length === 0) return null;
          return (
            <div key={role}>
              <h3>{title}</h3>
              {members.length === 0 ? <p className="muted">{t("noTeachers")}</p> : null}
              <ul className="plain-list">
                {members.map((p) => (
                  <li key={`${p.userId}-${p.role}`} className="row">
                    <span>{p.displayName}</span>
                    {canManage && p.userId !== me ? (
                      <RemoveButton
                        fields={{ intent: "remove-member", userId: p.userId, role: p.role }}
                        label={t("removeMemberLabel", { name: p.displayName })}
                      />
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          );
        })
      )}
    </section>
  );
}

interface Classroom {
  id: string;
  name: string;
  grade: string | null;
  deviceNote: string | null;
}

export function ClassroomsCard({ classrooms, canManage, result }: { classrooms: Classroom[]; canManage: boolean; result: ActionResult }) {
  const { t } = useTranslation("school");
  const [form, fields] = useForm({
    id: "add-classroom",
    lastResult: result?.intent === "add-classroom" ? result.reply : undefined,
    onValidate: ({ formData }) => parseForm(formData, { schema: AddClassroomSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const removeError = result?.intent === "remove-classroom" ? result.reply.error?.[""] : undefined;
  return (
    <section className="card" aria-labelledby="classrooms">
      <h2 id="classrooms">{t("classrooms")}</h2>
      <FormError id="remove-classroom-error" errors={removeError ?? undefined} />
      {classrooms.length === 0 ? (
        <p className="muted">{canManage ? t("noClassrooms") : t("classroomsHidden")}</p>
      ) : (
        <ul className="plain-list">
          {classrooms.map((c) => (
            <li key={c.id} className="row">
              <span>
                <strong>{c.name}</strong>
                {c.grade ? <span className="muted"> · {c.grade}</span> : null}
                {c.deviceNote ? <span className="muted"> · {c.deviceNote}</span> : null}
              </span>
              {canManage ? (
                <RemoveButton
                  fields={{ intent: "remove-classroom", classroomId: c.id }}
                  label={t("removeClassroomLabel", { name: c.name })}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canManage ? (
        <ValidatedForm form={form} method="post" className="stack add-classroom">
          <h3>{t("addClassroom")}</h3>
          <input type="hidden" name="intent" value="add-classroom" />
          <FormError id={form.errorId} errors={form.errors} />
          {(["name", "grade", "deviceNote"] as const).map((name) => (
            <Field key={name} field={fields[name]} label={t(`classroomForm.${name}`)} />
          ))}
          <button type="submit" className="button">
            {t("addClassroom")}
          </button>
        </ValidatedForm>
      ) : null}
    </section>
  );
}

/** Invite a teacher or admin by email; the mail goes out through Supabase Auth. */
export function InviteCard({ result, locale }: { result: ActionResult; locale: Locale }) {
  const { t } = useTranslation("school");
  const [form, fields] = useForm({
    id: "invite",
    lastResult: result?.intent === "invite" ? result.reply : undefined,
    defaultValue: { role: "teacher", preferredLanguage: locale },
    onValidate: ({ formData }) => parseForm(formData, { schema: InviteSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t("invite.title")}</h2>
      <p className="muted">{t("invite.intro")}</p>
      <ValidatedForm form={form} method="post" className="stack">
        <input type="hidden" name="intent" value="invite" />
        <FormError id={form.errorId} errors={form.errors} />
        <Field field={fields.email} label={t("invite.email")} type="email" autoComplete="off" inputMode="email" />
        <Field field={fields.displayName} label={t("invite.displayName")} autoComplete="off" />
        <SelectField field={fields.role} label={t("invite.role")}>
          {MEMBERSHIP_ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`home:roles.${role}`)}
            </option>
          ))}
        </SelectField>
        <SelectField field={fields.preferredLanguage} label={t("invite.language")}>
          {LANGUAGES.map((lng) => (
            <option key={lng} value={lng} lang={lng}>
              {LANGUAGE_NAMES[lng]}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button">
          {t("invite.submit")}
        </button>
      </ValidatedForm>
    </section>
  );
}

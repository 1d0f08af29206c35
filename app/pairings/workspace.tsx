import { useForm } from "@conform-to/react";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError, parseForm, TextareaField, ValidatedForm } from "~/components/form";
import { KeysetPager } from "~/components/keyset-pager";
import { PAIRING_ACTIONS_NEEDING_REASON, type MembershipRole, type PairingAction, type PairingEventKind } from "~/db/enums";
import type { Locale } from "~/i18n/config";
import { LocalizedName, type Names } from "~/i18n/localized-name";
import { TransitionSchema } from "./schemas";
import { schoolDateFormat } from "~/live/time";

interface Person {
  schoolId: string;
  userId: string;
  role: MembershipRole;
  displayName: string;
}

export function PairingSide(props: { school: Names & { id: string; region: Names }; people: Person[]; locale: Locale; label: string }) {
  const { t } = useTranslation("pairings");
  const { school, people, locale, label } = props;
  const members = people.filter((p) => p.schoolId === school.id);
  const headingId = `side-${school.id}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <p className="muted">{label}</p>
      <h2 id={headingId}>
        <LocalizedName names={school} locale={locale} />
      </h2>
      <p className="muted">
        <LocalizedName names={school.region} locale={locale} />
      </p>
      <h3>{t("workspace.teachers")}</h3>
      {members.length === 0 ? (
        <p className="muted">{t("workspace.noTeachers")}</p>
      ) : (
        <ul className="plain-list">
          {members.map((m) => (
            <li key={`${m.userId}-${m.role}`}>
              {m.displayName}
              {m.role === "school_admin" ? <span className="muted"> · {t(`home:roles.${m.role}`)}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What an event's sentence names: who, and from its data the plan, version, class and times. */
function eventValues(event: { actorName: string | null; data?: unknown }, formatTime: (date: Date) => string, someone: string) {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof data[key] === "string" || typeof data[key] === "number" ? String(data[key]) : "");
  const when = (key: string) =>
    typeof data[key] === "string" && !Number.isNaN(Date.parse(data[key] as string)) ? formatTime(new Date(data[key] as string)) : "";
  return {
    name: event.actorName ?? someone,
    title: text("title"),
    version: text("name"),
    occurrences: text("occurrences"),
    headcount: text("headcount"),
    when: when("starts_at") || when("started_at"),
    from: when("from"),
    to: when("to"),
  };
}

/**
 * The pairing's timeline, a page at a time (newest first): `older` is the cursor of the next
 * page, `paged` whether this is not the newest one.
 */
export function PairingTimeline({
  events,
  older,
  paged,
}: {
  events: {
    id: string;
    kind: PairingEventKind;
    reason: string | null;
    createdAt: string | Date;
    actorName: string | null;
    data?: unknown;
  }[];
  older: string | null;
  paged: boolean;
}) {
  const { t, i18n } = useTranslation("pairings");
  const time = schoolDateFormat(i18n.language, "dateTime");
  return (
    <section className="card" aria-labelledby="timeline">
      <h2 id="timeline">{t("workspace.timeline")}</h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.createdAt).toISOString()}>{time.format(new Date(e.createdAt))}</time>{" "}
            <strong>{t(`events.${e.kind}`, eventValues(e, time.format, t("workspace.someone")))}</strong>
            {e.reason ? <p className="muted">{e.reason}</p> : null}
          </li>
        ))}
      </ol>
      <KeysetPager
        older={older}
        paged={paged}
        param="events"
        anchor="timeline"
        labels={{ newest: t("workspace.newestEvents"), older: t("workspace.olderEvents") }}
      />
    </section>
  );
}

/** One form, one button per action the reader may take; the reason is shared. */
export function TransitionForm({ actions, version }: { actions: PairingAction[]; version: number }) {
  const { t } = useTranslation("pairings");
  const lastResult = useActionData<{ status?: string; error?: Record<string, string[] | null> }>();
  const [form, fields] = useForm({
    lastResult: lastResult as never,
    onValidate: ({ formData }) => parseForm(formData, { schema: TransitionSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <section className="card" aria-labelledby="decide">
      <h2 id="decide">{t("workspace.actions")}</h2>
      <ValidatedForm form={form} method="post" className="stack">
        <FormError id={form.errorId} errors={form.errors} />
        <input type="hidden" name="expectedVersion" value={version} />
        {/* Only where an action here needs one (decline, pause, end): a lone withdraw asks for none. */}
        {actions.some((action) => (PAIRING_ACTIONS_NEEDING_REASON as readonly string[]).includes(action)) ? (
          <TextareaField field={fields.reason} label={t("workspace.reason")} rows={2} />
        ) : null}
        <div className="button-row">
          {actions.map((action) => (
            <button
              key={action}
              type="submit"
              name="action"
              value={action}
              className={action === "accept" || action === "forward" || action === "resume" ? "button" : "button button--quiet"}
            >
              {t(`actions.${action}`)}
            </button>
          ))}
        </div>
      </ValidatedForm>
    </section>
  );
}

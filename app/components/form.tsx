import {
  FormProvider,
  getCollectionProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useField,
  type FieldMetadata,
  type FormMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, type FormProps } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { ZodIssue, ZodTypeAny } from "zod";

/**
 * What a form says about a field or about the whole form: a translation key (`ns:key`) and the
 * values its message names. Schemas' messages, the refusal catalogue's keys and the actions'
 * own errors all travel this way, from the action to the form, in Conform's submission result.
 */
export interface FormMessage {
  key: string;
  values?: Record<string, string | number>;
}
export type FormMessages = FormMessage[];
/** What an action answers a form with (Conform's submission result, with our messages). */
export type FormResult = SubmissionResult<FormMessages>;

export const formMessage = (key: string, values?: FormMessage["values"]): FormMessages => [values ? { key, values } : { key }];

/** Each schema's messages are translation keys. */
const messagesOf = (issues: ZodIssue[]): FormMessages => issues.map((issue) => ({ key: issue.message }));

/**
 * The one way a form is read, in the browser (`onValidate`) and in the action: Conform's Zod
 * parser with our messages.
 */
export function parseForm<Schema extends ZodTypeAny>(payload: FormData | URLSearchParams, options: { schema: Schema }) {
  return parseWithZod(payload, { schema: options.schema, formatError: messagesOf });
}

/** The translated message for a field's first error, tied to the input by id. */
export function FieldError({ id, errors }: { id: string; errors?: FormMessages | null }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <p id={id} className="field-error">
      {t(errors[0].key, errors[0].values)}
    </p>
  );
}

export function FormError({ id, errors }: { id: string; errors?: FormMessages | null }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div id={id} className="form-error" role="alert">
      {errors.map((e) => (
        <p key={e.key}>{t(e.key, e.values)}</p>
      ))}
    </div>
  );
}

/** A field of any of our forms. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any field of any form
export type FormField = FieldMetadata<any, any, FormMessages>;

/**
 * A form of the kit: Remix's Form with Conform's props (no browser validation bubbles; Conform
 * validates with the schema and the action again), and the context its fields subscribe to.
 */
export function ValidatedForm({
  form,
  children,
  ...props
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any form
  form: FormMetadata<any, FormMessages>;
  children: ReactNode;
} & Omit<FormProps, "id" | "onSubmit" | "noValidate">) {
  return (
    <FormProvider context={form.context}>
      <Form {...getFormProps(form)} {...props}>
        {children}
      </Form>
    </FormProvider>
  );
}

/**
 * The field's state, subscribed to by the component that shows it. (Metadata read in a child
 * of the component that called useForm is not always subscribed to: Conform records what was
 * read only while the state is the one that component rendered with, and after hydration the
 * fields' errors then never appeared.)
 */
function useLive(field: FormField): FormField {
  return useField(field.name, { formId: field.formId })[0] as FormField;
}

interface FrameProps {
  field: FormField;
  label: ReactNode;
  /** A hint under the control, read out with it (aria-describedby). */
  description?: ReactNode;
  /** Shown after the error (a link, a note). */
  after?: ReactNode;
  className?: string;
}

/** Attributes a field's control takes from its metadata, not from the caller. */
type Owned = "id" | "name" | "form" | "defaultValue" | "defaultChecked" | "type" | "value" | "children";

const frameClass = (className?: string) => (className ? `field ${className}` : "field");

/** What a control says under it: its hint, then its first error. */
function Notes({ field, description }: { field: FormField; description?: ReactNode }) {
  return (
    <>
      {description ? (
        <p id={field.descriptionId} className="muted">
          {description}
        </p>
      ) : null}
      <FieldError id={field.errorId} errors={field.errors} />
    </>
  );
}

function Frame({ field, label, description, after, className, children }: FrameProps & { children: ReactNode }) {
  return (
    <div className={frameClass(className)}>
      <label htmlFor={field.id}>{label}</label>
      {children}
      <Notes field={field} description={description} />
      {after}
    </div>
  );
}

const describedBy = (field: FormField, description: ReactNode) => (description ? field.descriptionId : undefined);

type InputType = "text" | "email" | "password" | "number" | "date" | "datetime-local" | "time" | "search" | "tel" | "url";

/** A labelled input: its error and hint are announced with it. */
export function Field({
  field,
  label,
  description,
  after,
  className,
  type = "text",
  ...input
}: FrameProps & { type?: InputType } & Omit<InputHTMLAttributes<HTMLInputElement>, Owned>) {
  const live = useLive(field);
  return (
    <Frame field={live} label={label} description={description} after={after} className={className}>
      <input {...getInputProps(live, { type, ariaDescribedBy: describedBy(live, description) })} {...input} />
    </Frame>
  );
}

/** A labelled select; `placeholder` is an empty first choice. */
export function SelectField({
  field,
  label,
  description,
  after,
  className,
  placeholder,
  children,
  ...select
}: FrameProps & { placeholder?: string; children: ReactNode } & Omit<SelectHTMLAttributes<HTMLSelectElement>, Owned>) {
  const live = useLive(field);
  return (
    <Frame field={live} label={label} description={description} after={after} className={className}>
      <select {...getSelectProps(live, { ariaDescribedBy: describedBy(live, description) })} {...select}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {children}
      </select>
    </Frame>
  );
}

export function TextareaField({
  field,
  label,
  description,
  after,
  className,
  ...textarea
}: FrameProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, Owned>) {
  const live = useLive(field);
  return (
    <Frame field={live} label={label} description={description} after={after} className={className}>
      <textarea {...getTextareaProps(live, { ariaDescribedBy: describedBy(live, description) })} {...textarea} />
    </Frame>
  );
}

/** One checkbox, its label beside it. */
export function CheckboxField({
  field,
  label,
  description,
  className,
  ...input
}: Omit<FrameProps, "after"> & Omit<InputHTMLAttributes<HTMLInputElement>, Owned>) {
  const live = useLive(field);
  return (
    <div className={frameClass(className)}>
      <label className="checkbox">
        <input {...getInputProps(live, { type: "checkbox", ariaDescribedBy: describedBy(live, description) })} {...input} />
        {label}
      </label>
      <Notes field={live} description={description} />
    </div>
  );
}

/**
 * Checkboxes for a field that holds several values, or radio buttons for one of several, under
 * one legend; what was chosen is kept when the form comes back with an error.
 */
export function ChoiceGroupField({
  field,
  legend,
  options,
  type = "checkbox",
  className,
  listClassName,
  itemClassName = "checkbox",
}: {
  field: FormField;
  legend: ReactNode;
  options: { value: string; label: ReactNode }[];
  type?: "checkbox" | "radio";
  className?: string;
  /** A box around the choices (for a row of scores, say). */
  listClassName?: string;
  itemClassName?: string;
}) {
  const live = useLive(field);
  const choices = getCollectionProps(live, { type, options: options.map((o) => o.value) }).map(({ key: _key, ...props }, i) => (
    <label key={props.value} className={itemClassName}>
      <input {...props} />
      {options[i].label}
    </label>
  ));
  return (
    <fieldset className={frameClass(className)} aria-describedby={live.errors?.length ? live.errorId : undefined}>
      <legend>{legend}</legend>
      {listClassName ? <div className={listClassName}>{choices}</div> : choices}
      <FieldError id={live.errorId} errors={live.errors} />
    </fieldset>
  );
}

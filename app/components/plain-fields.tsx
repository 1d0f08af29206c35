import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

/**
 * A labelled control of a form that nothing validates (a GET form of filters): plain id, name
 * and default; the same frame as form.tsx's fields, without Conform (the classroom and the filter pages do not load it).
 */
export function PlainInput({ id, label, ...input }: { id: string; label: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, "id">) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} />
    </div>
  );
}

/** A labelled select of a filter form; `placeholder` is the empty first choice ("any"). */
export function PlainSelect({
  id,
  label,
  placeholder,
  children,
  ...select
}: { id: string; label: ReactNode; placeholder?: string; children: ReactNode } & Omit<SelectHTMLAttributes<HTMLSelectElement>, "id">) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {children}
      </select>
    </div>
  );
}

import type { FieldMetadata } from "@conform-to/react";
import { Field, type FormMessages } from "~/components/form";
import { DURATIONS } from "./schemas";

/** A class's length in minutes: any whole number from 10 to 240, with the usual ones suggested. */
export function DurationField<Schema extends Record<string, unknown>>({
  field,
  label,
}: {
  field: FieldMetadata<number, Schema, FormMessages>;
  label: string;
}) {
  const listId = `${field.id}-suggestions`;
  return (
    <Field
      field={field}
      label={label}
      type="number"
      min={10}
      max={240}
      step={5}
      inputMode="numeric"
      list={listId}
      after={
        <datalist id={listId}>
          {DURATIONS.map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
      }
    />
  );
}

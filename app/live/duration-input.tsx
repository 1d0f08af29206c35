import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { FieldError } from "~/components/form";
import { DURATIONS } from "./schemas";

/** A class's length in minutes: any whole number from 10 to 240, with the usual ones suggested. */
export function DurationInput<Schema extends Record<string, unknown>>({ field }: { field: FieldMetadata<number, Schema, string[]> }) {
  const listId = `${field.id}-suggestions`;
  return (
    <>
      <input {...getInputProps(field, { type: "number" })} min={10} max={240} step={5} inputMode="numeric" list={listId} />
      <datalist id={listId}>
        {DURATIONS.map((d) => (
          <option key={d} value={d} />
        ))}
      </datalist>
      <FieldError id={field.errorId} errors={field.errors} />
    </>
  );
}

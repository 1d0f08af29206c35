import { FormProvider, getFormProps, useForm } from "@conform-to/react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createI18n } from "~/i18n/client";
import type { Locale } from "~/i18n/config";
import { resourcesFor } from "~/i18n/resources.server";
import { CheckboxField, ChoiceGroupField, Field, FormError, parseForm, SelectField, type FormResult } from "./form";

const Schema = z.object({
  title: z.string({ required_error: "validation:required" }),
  subject: z.string().optional(),
  subjects: z.array(z.string()).optional(),
  weekly: z.boolean().optional(),
});

/** A form of the kit as a page builds it (without Remix's Form, which needs a router). */
function KitForm({ lastResult }: { lastResult?: FormResult }) {
  const [form, fields] = useForm({
    id: "kit",
    lastResult,
    onValidate: ({ formData }) => parseForm(formData, { schema: Schema }),
  });
  return (
    <FormProvider context={form.context}>
      <form {...getFormProps(form)}>
        <FormError id={form.errorId} errors={form.errors} />
        <Field field={fields.title} label="Title" description="At most 200 characters" maxLength={200} />
        <SelectField field={fields.subject} label="Subject" placeholder="Choose">
          <option value="math">Math</option>
        </SelectField>
        <ChoiceGroupField
          field={fields.subjects}
          legend="Subjects"
          options={[
            { value: "chinese", label: "Chinese" },
            { value: "math", label: "Math" },
          ]}
        />
        <CheckboxField field={fields.weekly} label="Every week" />
      </form>
    </FormProvider>
  );
}

const render = (locale: Locale, lastResult?: FormResult) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(locale, resourcesFor(locale))}>
      <KitForm lastResult={lastResult} />
    </I18nextProvider>,
  );

/** The opening tag of the element with this id. */
const tagOf = (html: string, id: string) => html.match(new RegExp(`<[a-z]+ [^>]*id="${id}"[^>]*>`))?.[0] ?? "";

/** What an action answers when the title is missing and the database refused a clash. */
const refused: FormResult = {
  status: "error",
  initialValue: { title: "", subjects: ["math"], weekly: "on" },
  error: {
    title: [{ key: "validation:required" }],
    "": [{ key: "live:errors.clashClassroom", values: { name: "三年级一班", time: "09:20–10:00" } }],
  },
};

describe("the forms kit", () => {
  it("labels each control and ties its hint to it; nothing is invalid before a submission", () => {
    const html = render("en");
    expect(html).toContain('<label for="kit-title">Title</label>');
    const title = tagOf(html, "kit-title");
    expect(title).toContain('aria-describedby="kit-title-description"');
    expect(title).not.toContain("aria-invalid");
    expect(html).toContain('<p id="kit-title-description" class="muted">At most 200 characters</p>');
    expect(html).toContain('<option value="">Choose</option>');
    expect(html).toMatch(/<fieldset class="field"><legend>Subjects<\/legend>/);
    expect(html).not.toContain("field-error");
    expect(html).not.toContain('role="alert"');
  });

  it.each([
    ["en", "This field is required.", "Classroom “三年级一班” already has a live class at 09:20–10:00."],
    ["zh-CN", "此项为必填项。", "三年级一班"],
  ] as const)("shows the action's messages in %s, with their values, and keeps what was chosen", (locale, required, clash) => {
    const html = render(locale, refused);
    const title = tagOf(html, "kit-title");
    expect(title).toContain('aria-invalid="true"');
    expect(title).toMatch(/aria-describedby="[^"]*kit-title-error[^"]*"/);
    expect(title).toMatch(/aria-describedby="[^"]*kit-title-description[^"]*"/);
    expect(html).toContain(`<p id="kit-title-error" class="field-error">${required}</p>`);
    expect(html).toMatch(/<div id="kit-error" class="form-error" role="alert"><p>[^<]*<\/p><\/div>/);
    expect(html).toContain(clash);
    expect(html).toContain("09:20–10:00");
    // The choices come back as they were sent.
    expect(tagOf(html, "kit-subjects-math")).toMatch(/checked=""/);
    expect(html).toMatch(/<input [^>]*value="chinese"(?![^>]*checked)[^>]*>/);
    expect(tagOf(html, "kit-weekly")).toMatch(/checked=""/);
  });
});

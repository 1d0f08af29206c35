import type { JSONContent } from "@tiptap/core";
import type { TFunction } from "i18next";

/**
 * The Chinese lesson-plan template (教案), in the plan's language. Built on the server when a
 * plan is created and stored as its first document; a client never inserts it (a client-side
 * template is how content gets duplicated after a restart).
 */
export function lessonPlanTemplate(t: TFunction, schools: { a: string; b: string }): JSONContent {
  const heading = (level: 2 | 3, key: string, text?: string): JSONContent => {
    const content = text ?? t(key);
    // ProseMirror refuses empty text nodes: an unnamed heading stays empty.
    return { type: "heading", attrs: { level }, ...(content ? { content: [{ type: "text", text: content }] } : {}) };
  };
  const paragraph = (text?: string): JSONContent =>
    text ? { type: "paragraph", content: [{ type: "text", text }] } : { type: "paragraph" };
  const cell = (type: "tableHeader" | "tableCell", text?: string): JSONContent => ({
    type,
    attrs: { colspan: 1, rowspan: 1, colwidth: null },
    content: [paragraph(text)],
  });
  const columns = ["stage", "time", "mainTeacher", "localStudents", "remoteClass", "intent"] as const;
  const stages = ["intro", "newLesson", "practice", "summary"] as const;

  return {
    type: "doc",
    content: [
      heading(2, "lessonPlans:template.materials"),
      paragraph(),
      heading(2, "lessonPlans:template.learners"),
      heading(3, "", schools.a),
      paragraph(),
      heading(3, "", schools.b),
      paragraph(),
      heading(2, "lessonPlans:template.objectives"),
      { type: "bulletList", content: [{ type: "listItem", content: [paragraph()] }] },
      heading(2, "lessonPlans:template.keyPoints"),
      paragraph(),
      heading(2, "lessonPlans:template.difficulties"),
      paragraph(),
      heading(2, "lessonPlans:template.preparation"),
      paragraph(),
      heading(2, "lessonPlans:template.process"),
      {
        type: "table",
        content: [
          { type: "tableRow", content: columns.map((c) => cell("tableHeader", t(`lessonPlans:template.columns.${c}`))) },
          ...stages.map((stage) => ({
            type: "tableRow",
            content: columns.map((c) => cell("tableCell", c === "stage" ? t(`lessonPlans:template.stages.${stage}`) : undefined)),
          })),
        ],
      },
      heading(2, "lessonPlans:template.blackboard"),
      paragraph(),
      heading(2, "lessonPlans:template.homework"),
      paragraph(),
      heading(2, "lessonPlans:template.assessment"),
      paragraph(),
      heading(2, "lessonPlans:template.reflection"),
      paragraph(),
    ],
  };
}

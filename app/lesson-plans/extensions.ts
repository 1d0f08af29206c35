import type { AnyExtension } from "@tiptap/core";
import Image from "@tiptap/extension-image";
import { TableKit } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";
import { isSafeHref } from "./safety";

export { isSafeHref, PLAN_FRAGMENT, planDocumentName } from "./safety";

const DOCUMENT_NAME = /^lesson-plan\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The plan id of a document name, or null when the name is not a lesson plan's. */
export function planIdOfDocument(name: string): string | null {
  return DOCUMENT_NAME.exec(name)?.[1] ?? null;
}

/**
 * The schema of a lesson plan's content: what the editor offers and what the server can
 * read back (template, search text, read-only view, export). Headings 2–3, lists, tables,
 * bold/italic/underline, links and images. History comes from Yjs, so `undoRedo` is off
 * wherever collaboration is on.
 */
export function planExtensions(options: { collaborative?: boolean } = {}): AnyExtension[] {
  return [
    StarterKit.configure({
      heading: { levels: [2, 3] },
      codeBlock: false,
      code: false,
      undoRedo: options.collaborative ? false : undefined,
      link: { openOnClick: false, autolink: true, protocols: ["mailto"], isAllowedUri: (url) => isSafeHref(url) },
    }),
    TableKit.configure({ table: { resizable: false } }),
    Image.configure({ inline: false, allowBase64: false }),
  ];
}

import type { JSONContent } from "@tiptap/core";

/** The picture bytes of an image the plan shows, so exports carry it instead of linking to it. */
export interface ExportImage {
  data: Buffer;
  type: "png" | "jpg" | "gif";
  /** Natural size in pixels. */
  width: number;
  height: number;
}

/** A lesson plan as the exports read it: labels already translated, names in the reader's language. */
export interface PlanForExport {
  title: string;
  language: "zh-CN" | "bo" | "en";
  subject: string;
  grade: string;
  textbookUnit: string | null;
  periods: number;
  status: string;
  leadAuthor: string;
  coauthors: string[];
  schools: string[];
  updatedAt: Date;
  content: JSONContent;
  /** Image bytes by the `src` the document uses; images without bytes are linked (HTML) or left out (docx). */
  images?: Map<string, ExportImage>;
}

export interface ExportOptions {
  /** When the export is made; the footer says so. Defaults to now. */
  now?: Date;
}

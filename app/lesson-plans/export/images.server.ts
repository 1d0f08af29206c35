import type { JSONContent } from "@tiptap/core";
import { imageSize } from "image-size";
import type { ExportImage } from "./types";

const KNOWN: Record<string, ExportImage["type"]> = { png: "png", jpg: "jpg", gif: "gif" };

/** The plan's own uploaded images (`/lesson-plans/<id>/images/<name>`), in document order, once each. */
export function planImageNames(json: JSONContent, planId: string): string[] {
  const prefix = `/lesson-plans/${planId}/images/`;
  const names = new Set<string>();
  const walk = (node: JSONContent) => {
    const src = node.type === "image" ? node.attrs?.src : undefined;
    if (typeof src === "string" && src.startsWith(prefix)) names.add(src.slice(prefix.length));
    node.content?.forEach(walk);
  };
  walk(json);
  return [...names];
}

/**
 * The bytes and size of each image the exports can carry (PNG, JPEG, GIF), keyed by src, so
 * the .docx embeds them and the print HTML shows them offline. Others stay out.
 */
export async function loadExportImages(
  planId: string,
  json: JSONContent,
  download: (name: string) => Promise<Blob | null>,
  limit = 50,
): Promise<Map<string, ExportImage>> {
  const images = new Map<string, ExportImage>();
  for (const name of planImageNames(json, planId).slice(0, limit)) {
    const blob = await download(name);
    if (!blob) continue;
    const data = Buffer.from(await blob.arrayBuffer());
    let size: ReturnType<typeof imageSize>;
    try {
      size = imageSize(data);
    } catch {
      continue;
    }
    const type = size.type ? KNOWN[size.type] : undefined;
    if (!type || !size.width || !size.height) continue;
    images.set(`/lesson-plans/${planId}/images/${name}`, { data, type, width: size.width, height: size.height });
  }
  return images;
}

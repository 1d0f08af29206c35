import { randomUUID } from "node:crypto";
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type AppLoadContext,
} from "@remix-run/node";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import type { SignedIn } from "~/auth/session.server";
import {
  isLessonPlanImageType,
  LESSON_PLAN_IMAGE_MAX_BYTES,
  LESSON_PLAN_IMAGE_TYPES,
  LESSON_PLAN_IMAGES_BUCKET,
  lessonPlanImageSrc,
  type LessonPlanImageType,
} from "./lesson-plan-images";
import { sniffMimeType } from "./sniff";

/** Why an image was refused: the key under uploads:errors and the status to answer with. */
export type ImageRefusal =
  { reason: "noFile" | "type"; status: 400 } | { reason: "tooLarge"; status: 413 } | { reason: "forbidden"; status: 403 };

/**
 * Storage as the signed-in user: supabase-js with the access token the request was
 * verified with (no second session refresh, no cookies of its own). Uploads and downloads
 * are then decided by the policies on storage.objects.
 */
function storageAs(context: AppLoadContext, signedIn: SignedIn) {
  const { supabaseUrl, supabaseAnonKey } = context.tongke;
  const supabase = createClient(supabaseUrl, supabaseAnonKey, {
    accessToken: async () => signedIn.accessToken,
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  return supabase.storage.from(LESSON_PLAN_IMAGES_BUCKET);
}

/**
 * The `file` field of a multipart form, at most 5 MiB, whose bytes are a PNG, JPEG, GIF
 * or WebP image — whatever name or type the browser gave it.
 */
export async function readImageUpload(request: Request): Promise<{ bytes: Uint8Array; type: LessonPlanImageType } | ImageRefusal> {
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: LESSON_PLAN_IMAGE_MAX_BYTES, filter: ({ name }) => name === "file" }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { reason: "tooLarge", status: 413 };
    // Not multipart, no boundary, a part's headers malformed, the body cut short: no file arrived.
    return { reason: "noFile", status: 400 };
  }
  const file = form.get("file");
  if (!(file instanceof Blob) || file.size === 0) return { reason: "noFile", status: 400 };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffMimeType(bytes);
  if (!isLessonPlanImageType(type)) return { reason: "type", status: 400 };
  return { bytes, type };
}

/** Uploads into the plan's folder under a new name; the image's app URL, or why Storage refused. */
export async function uploadLessonPlanImage(
  context: AppLoadContext,
  signedIn: SignedIn,
  planId: string,
  image: { bytes: Uint8Array; type: LessonPlanImageType },
): Promise<{ src: string } | ImageRefusal> {
  const name = `${randomUUID()}.${LESSON_PLAN_IMAGE_TYPES[image.type]}`;
  const { error } = await storageAs(context, signedIn).upload(`${planId}/${name}`, image.bytes, {
    contentType: image.type,
    cacheControl: "31536000",
    upsert: false,
  });
  if (!error) return { src: lessonPlanImageSrc(planId, name) };
  const statusCode = "statusCode" in error ? String(error.statusCode) : "";
  if (statusCode === "403") return { reason: "forbidden", status: 403 };
  if (statusCode === "413") return { reason: "tooLarge", status: 413 };
  if (statusCode === "415") return { reason: "type", status: 400 };
  throw error;
}

/** The image, if the user may read the plan and it has an image of that name; else null. */
export async function downloadLessonPlanImage(
  context: AppLoadContext,
  signedIn: SignedIn,
  planId: string,
  name: string,
): Promise<Blob | null> {
  const { data, error } = await storageAs(context, signedIn).download(`${planId}/${name}`);
  if (!error) return data;
  const statusCode = "statusCode" in error ? String(error.statusCode) : "";
  if (["400", "403", "404"].includes(statusCode)) return null;
  throw error;
}

import type { ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { requireUuidParam } from "~/components/route-params";
import { getFixedT } from "~/i18n/i18next.server";
import { LESSON_PLAN_IMAGE_MAX_BYTES } from "~/storage/lesson-plan-images";
import { readImageUpload, uploadLessonPlanImage } from "~/storage/lesson-plan-images.server";
import { withTranslatedRefusals } from "~/components/refusal.server";

const REFUSALS = {
  noFile: "uploads:errors.noFile",
  type: "uploads:errors.type",
  tooLarge: "uploads:errors.tooLarge",
  forbidden: "uploads:errors.forbidden",
} as const;

/** Adds an image to a plan (multipart field `file`): `{ src }` for the editor, or a translated `{ error }`. */
export const action = withTranslatedRefusals(async ({ request, context, params }: ActionFunctionArgs) => {
  const planId = requireUuidParam(params.planId);
  if (request.method !== "POST") throw new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  const signedIn = await requireUser(request, context);
  const { headers } = signedIn;
  const image = await readImageUpload(request);
  const result = "reason" in image ? image : await uploadLessonPlanImage(context, signedIn, planId, image);
  if ("src" in result) return Response.json({ src: result.src }, { status: 201, headers });
  const t = await getFixedT(request, "uploads");
  const size = `${LESSON_PLAN_IMAGE_MAX_BYTES / (1024 * 1024)} MB`;
  return Response.json({ error: t(REFUSALS[result.reason] as never, { size }) }, { status: result.status, headers });
});

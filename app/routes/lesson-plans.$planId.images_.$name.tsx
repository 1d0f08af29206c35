import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { requireUuidParam } from "~/components/route-params";
import { isLessonPlanImageType, LESSON_PLAN_IMAGE_NAME } from "~/storage/lesson-plan-images";
import { downloadLessonPlanImage } from "~/storage/lesson-plan-images.server";
import { methodNotAllowed, withTranslatedRefusals } from "~/components/refusal.server";

/** An image of a plan, for whoever may read the plan; 404 for everyone else. Names never change. */
export const loader = withTranslatedRefusals(async ({ request, context, params }: LoaderFunctionArgs) => {
  const planId = requireUuidParam(params.planId);
  const name = params.name ?? "";
  if (!LESSON_PLAN_IMAGE_NAME.test(name)) throw new Response("Not found", { status: 404 });
  const signedIn = await requireUser(request, context);
  const image = await downloadLessonPlanImage(context, signedIn, planId, name);
  const type = image?.type.split(";")[0].trim() ?? null;
  if (!image || !isLessonPlanImageType(type)) throw new Response("Not found", { status: 404, headers: signedIn.headers });
  const headers = new Headers(signedIn.headers);
  headers.set("Content-Type", type);
  headers.set("Content-Length", String(image.size));
  headers.set("Cache-Control", "private, max-age=31536000, immutable");
  headers.set("X-Content-Type-Options", "nosniff");
  return new Response(image.stream(), { status: 200, headers });
});

export const action = methodNotAllowed;

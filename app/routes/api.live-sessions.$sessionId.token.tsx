import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "~/auth/session.server";
import { requireUuidParam } from "~/components/route-params";
import { getFixedT } from "~/i18n/i18next.server";
import { issueJoinToken } from "~/live/token.server";
import { refusal, withTranslatedRefusals } from "~/components/refusal.server";

/** POST: `{ serverUrl, participantToken }` for the classroom page, or `{ error }` (translated). */
export const action = withTranslatedRefusals(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return refusal(request, 405, { allow: "POST" });
  const t = await getFixedT(request, "live");
  const signedIn = await requireApiUser(request, context);
  const sessionId = requireUuidParam(params.sessionId);
  const result = await issueJoinToken(context, signedIn.claims, sessionId);
  signedIn.headers.set("Cache-Control", "no-store");
  if (result.status === 200) return Response.json(result.body, { headers: signedIn.headers });
  return Response.json({ error: t(result.error) }, { status: result.status, headers: signedIn.headers });
});

export const loader = async ({ request }: LoaderFunctionArgs) => refusal(request, 405, { allow: "POST" });

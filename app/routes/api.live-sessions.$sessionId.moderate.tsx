import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "~/auth/session.server";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getFixedT } from "~/i18n/i18next.server";
import { roomNameOf } from "~/live/livekit.server";
import { joinFacts } from "~/live/queries.server";
import { ModerateSchema } from "~/live/schemas";
import { refusal, withTranslatedRefusals } from "~/components/refusal.server";

/**
 * Mute a participant's track or remove them from the room: the main teacher only (their role
 * read through RLS), carried out with LiveKit's room service. 204, or `{ error }`.
 */
export const action = withTranslatedRefusals(async ({ request, context, params }: ActionFunctionArgs) => {
  const t = await getFixedT(request, "live");
  const signedIn = await requireApiUser(request, context);
  const sessionId = requireUuidParam(params.sessionId);
  const parsed = ModerateSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: t("live:errors.invalidInput") }, { status: 400, headers: signedIn.headers });
  const facts = await withUserTransaction(context.tongke.database, signedIn.claims, (tx) => joinFacts(tx, sessionId));
  if (!facts) return Response.json({ error: t("live:errors.notFound") }, { status: 404, headers: signedIn.headers });
  if (facts.role !== "main") return Response.json({ error: t("live:errors.onlyMainTeacher") }, { status: 403, headers: signedIn.headers });
  const room = roomNameOf(sessionId);
  const { roomService } = context.tongke.live;
  try {
    if (parsed.data.action === "mute") await roomService.mutePublishedTrack(room, parsed.data.identity, parsed.data.trackSid, true);
    else await roomService.removeParticipant(room, parsed.data.identity);
  } catch {
    return Response.json({ error: t("live:errors.videoServerUnavailable") }, { status: 502, headers: signedIn.headers });
  }
  return new Response(null, { status: 204, headers: signedIn.headers });
});

export const loader = async ({ request }: LoaderFunctionArgs) => refusal(request, 405, { allow: "POST" });

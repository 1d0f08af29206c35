import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "~/auth/session.server";
import { requireUuidParam } from "~/components/route-params";
import { refusalOf } from "~/db/refusals";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getFixedT } from "~/i18n/i18next.server";
import { postMessage } from "~/live/writes.server";
import { listMessages } from "~/live/queries.server";
import { ChatMessageSchema } from "~/live/schemas";
import { refusal, withTranslatedRefusals } from "~/components/refusal.server";

/**
 * The class chat, kept on our server so that it works while the video server is unreachable.
 * GET `?after=<iso>` → `{ messages }`; POST `{ body }` → 201 `{ message }` or `{ error }`.
 */
export const loader = withTranslatedRefusals(async ({ request, context, params }: LoaderFunctionArgs) => {
  const signedIn = await requireApiUser(request, context);
  const sessionId = requireUuidParam(params.sessionId);
  const after = new URL(request.url).searchParams.get("after");
  const afterDate = after && !Number.isNaN(Date.parse(after)) ? new Date(after) : undefined;
  const messages = await withUserTransaction(context.tongke.database, signedIn.claims, (tx) => listMessages(tx, sessionId, afterDate));
  signedIn.headers.set("Cache-Control", "no-store");
  return Response.json({ messages }, { headers: signedIn.headers });
});

export const action = withTranslatedRefusals(async ({ request, context, params }: ActionFunctionArgs) => {
  const t = await getFixedT(request, ["live", "validation"]);
  if (request.method !== "POST") return refusal(request, 405, { allow: "GET, POST" });
  const signedIn = await requireApiUser(request, context);
  const sessionId = requireUuidParam(params.sessionId);
  const parsed = ChatMessageSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return Response.json(
      { error: t(parsed.error.issues[0]?.message ?? "live:errors.invalidInput") },
      { status: 400, headers: signedIn.headers },
    );
  }
  try {
    const message = await withUserTransaction(context.tongke.database, signedIn.claims, (tx) =>
      postMessage(tx, sessionId, parsed.data.body),
    );
    return Response.json({ message }, { status: 201, headers: signedIn.headers });
  } catch (error) {
    const refusal = refusalOf(error, "chat");
    if (!refusal) throw error;
    return Response.json({ error: t(refusal.key) }, { status: refusal.status, headers: signedIn.headers });
  }
});

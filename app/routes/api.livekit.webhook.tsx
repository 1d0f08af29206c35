import type { ActionFunctionArgs } from "@remix-run/node";
import { WebhookRejectedError } from "~/live/livekit.server";

/**
 * LiveKit's webhooks. The signature and the sha256 of the raw body are checked before
 * anything is parsed or written; a forged, altered or unsigned delivery gets 401. A retried
 * delivery is answered 200 and changes nothing.
 */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  const rawBody = await request.text();
  try {
    const { applied } = await context.tongke.live.receiveWebhook(rawBody, request.headers.get("Authorization"));
    return Response.json({ applied });
  } catch (error) {
    if (error instanceof WebhookRejectedError) return Response.json({ error: error.reason }, { status: 401 });
    throw error;
  }
};

export const loader = () => new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });

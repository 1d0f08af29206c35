import type { ActionFunctionArgs } from "@remix-run/node";

/**
 * LiveKit's webhooks. The signature and the sha256 of the raw body are checked before
 * anything is parsed or written; a forged, altered or unsigned delivery gets 401. A retried
 * delivery is answered 200 and changes nothing.
 */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  const rawBody = await request.text();
  const result = await context.tongke.live.receiveWebhook(rawBody, request.headers.get("Authorization"));
  if (result.rejected) return Response.json({ error: result.rejected }, { status: 401 });
  return Response.json({ applied: result.applied });
};

export const loader = () => new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });

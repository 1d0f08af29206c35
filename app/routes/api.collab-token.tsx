import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "~/auth/session.server";
import { methodNotAllowed, withTranslatedRefusals } from "~/components/refusal.server";

/**
 * A current access token for the collaboration server. The editor asks again whenever the
 * provider reconnects, so an expired token is refreshed through the session cookies.
 */
export const loader = withTranslatedRefusals(async ({ request, context }: LoaderFunctionArgs) => {
  const signedIn = await requireApiUser(request, context);
  signedIn.headers.set("Cache-Control", "no-store");
  return Response.json({ token: signedIn.accessToken }, { headers: signedIn.headers });
});

export const action = methodNotAllowed;

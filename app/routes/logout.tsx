import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { createSupabaseServerClient } from "~/auth/supabase.server";

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { supabase, headers } = createSupabaseServerClient(request, context);
  const { data } = await supabase.auth.getSession();
  const claims = data.session ? await context.tongke.verifyAccessToken(data.session.access_token).catch(() => null) : null;
  // Ends this session (its refresh tokens, and every copy of its cookies: at once on this
  // server, within the session check's window on others), then clears the cookies; "sign out
  // of all devices" is on the profile page.
  await supabase.auth.signOut({ scope: "local" });
  if (claims) context.tongke.sessions.forget(claims);
  return redirect("/login", { headers });
};

export const loader = () => redirect("/");

import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { createSupabaseServerClient } from "~/auth/supabase.server";

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { supabase, headers } = createSupabaseServerClient(request, context);
  // Revokes every refresh token of the session, then clears the cookies.
  await supabase.auth.signOut();
  return redirect("/login", { headers });
};

export const loader = () => redirect("/");

import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { localeCookie } from "~/i18n/i18next.server";
import { getPreferredLanguage } from "~/people/queries.server";
import { authErrorKey } from "./auth-errors";
import { SignInSchema } from "./schemas";
import { getSignedIn, safeRedirect } from "./session.server";
import { createSupabaseServerClient } from "./supabase.server";
import { readFormData } from "~/components/refusal.server";
import { formMessage, parseForm } from "~/components/form";

export async function redirectIfSignedIn(request: Request, context: AppLoadContext) {
  const signedIn = await getSignedIn(request, context);
  if (signedIn) throw redirect("/", { headers: signedIn.headers });
  return null;
}

/**
 * Password sign-in through Supabase Auth. On success the session cookies are set and the
 * interface switches to the language saved in the profile.
 */
export async function signIn(request: Request, context: AppLoadContext) {
  const submission = parseForm(await readFormData(request), { schema: SignInSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });

  const { email, password, redirectTo } = submission.value;
  const { supabase, headers } = createSupabaseServerClient(request, context);
  const { data: session, error } = await supabase.auth.signInWithPassword({ email, password });
  if (error || !session.session) {
    const status = error?.status === 429 ? 429 : 400;
    return data(submission.reply({ formErrors: formMessage(authErrorKey(error?.code)), hideFields: ["password"] }), { status });
  }

  const claims = await context.tongke.verifyAccessToken(session.session.access_token);
  const language = await withUserTransaction(context.tongke.database, claims, (tx) => getPreferredLanguage(tx, claims.sub));
  if (language) headers.append("set-cookie", await localeCookie.serialize(language));
  throw redirect(safeRedirect(redirectTo, "/"), { headers });
}

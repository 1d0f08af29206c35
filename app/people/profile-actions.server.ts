import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { redirectWithToast } from "~/components/toast.server";
import { authErrorKey } from "~/auth/auth-errors";
import { checkCurrentPassword } from "~/auth/password-proof.server";
import { passwordProblemKey } from "~/auth/password-policy";
import { PasswordChangeSchema, ProfileSchema } from "~/auth/schemas";
import { requireUser } from "~/auth/session.server";
import { createSupabaseServerClient } from "~/auth/supabase.server";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { localeCookie } from "~/i18n/i18next.server";
import { updateProfile } from "./queries.server";
import { formMessage, parseForm } from "~/components/form";

export async function saveProfile(request: Request, context: AppLoadContext, formData: FormData) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseForm(formData, { schema: ProfileSchema });
  if (submission.status !== "success") {
    return data({ intent: "profile" as const, reply: submission.reply() }, { status: 400, headers });
  }
  const { displayName, preferredLanguage } = submission.value;
  await withUserTransaction(context.tongke.database, claims, (tx) => updateProfile(tx, claims.sub, { displayName, preferredLanguage }));
  headers.append("set-cookie", await localeCookie.serialize(preferredLanguage));
  throw await redirectWithToast("/profile", { key: "profile:profileSaved" }, headers);
}

/** Changing a password asks for the current one (checkCurrentPassword); the other sessions end. */
export async function changePassword(request: Request, context: AppLoadContext, formData: FormData) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseForm(formData, { schema: PasswordChangeSchema });
  const hidden = ["currentPassword", "newPassword", "confirmPassword"];
  if (submission.status !== "success") {
    return data({ intent: "password" as const, reply: submission.reply({ hideFields: hidden }) }, { status: 400, headers });
  }
  const { currentPassword, newPassword } = submission.value;
  const fail = (key: string, status = 400) =>
    data(
      { intent: "password" as const, reply: submission.reply({ formErrors: formMessage(key), hideFields: hidden }) },
      { status, headers },
    );
  const weak = passwordProblemKey(newPassword, { email: claims.email });
  if (weak) {
    return data(
      { intent: "password" as const, reply: submission.reply({ fieldErrors: { newPassword: formMessage(weak) }, hideFields: hidden }) },
      { status: 400, headers },
    );
  }

  const wrong = await checkCurrentPassword(context, claims.email ?? "", currentPassword);
  if (wrong) return fail(wrong.key, wrong.status);

  const { supabase, headers: cookieHeaders } = createSupabaseServerClient(request, context);
  const { error } = await supabase.auth.updateUser({ password: newPassword });
  if (error)
    return fail(authErrorKey(error.code, "reasons" in error ? (error.reasons as string[]) : undefined), error.status === 429 ? 429 : 400);
  cookieHeaders.forEach((value, key) => key === "set-cookie" && headers.append(key, value));
  throw await redirectWithToast("/profile", { key: "profile:passwordSaved" }, headers);
}

/**
 * "Sign out of all devices": every session of the user ends (Auth's global sign-out), this
 * one included; copies elsewhere stop working within the session check's window (≤ 30 s).
 */
export async function signOutEverywhere(request: Request, context: AppLoadContext) {
  const { claims } = await requireUser(request, context);
  const { supabase, headers } = createSupabaseServerClient(request, context);
  const { error } = await supabase.auth.signOut({ scope: "global" });
  if (error) throw error;
  context.tongke.sessions.forget(claims, { everySession: true });
  throw redirect("/login?signedOut=everywhere", { headers });
}

import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { authErrorKey } from "~/auth/auth-errors";
import { passwordProblemKey } from "~/auth/password-policy";
import { PasswordChangeSchema, ProfileSchema } from "~/auth/schemas";
import { requireUser } from "~/auth/session.server";
import { createSupabaseServerClient } from "~/auth/supabase.server";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { localeCookie } from "~/i18n/i18next.server";
import { updateProfile } from "./queries.server";

export async function saveProfile(request: Request, context: AppLoadContext, formData: FormData) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseWithZod(formData, { schema: ProfileSchema });
  if (submission.status !== "success") {
    return data({ intent: "profile" as const, reply: submission.reply() }, { status: 400, headers });
  }
  const { displayName, preferredLanguage } = submission.value;
  await withUserTransaction(context.tongke.database, claims, (tx) =>
    updateProfile(tx, claims.sub, { displayName, preferredLanguage }),
  );
  headers.append("set-cookie", await localeCookie.serialize(preferredLanguage));
  throw redirect("/profile?saved=profile", { headers });
}

/**
 * Changing a password asks for the current one: it is checked by signing in with it on a
 * throwaway client (so failed guesses count towards Auth's rate limit), then that extra
 * session is signed out again.
 */
export async function changePassword(request: Request, context: AppLoadContext, formData: FormData) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseWithZod(formData, { schema: PasswordChangeSchema });
  const hidden = ["currentPassword", "newPassword", "confirmPassword"];
  if (submission.status !== "success") {
    return data({ intent: "password" as const, reply: submission.reply({ hideFields: hidden }) }, { status: 400, headers });
  }
  const { currentPassword, newPassword } = submission.value;
  const fail = (key: string, status = 400) =>
    data(
      { intent: "password" as const, reply: submission.reply({ formErrors: [key], hideFields: hidden }) },
      { status, headers },
    );
  const weak = passwordProblemKey(newPassword, { email: claims.email });
  if (weak) {
    return data(
      { intent: "password" as const, reply: submission.reply({ fieldErrors: { newPassword: [weak] }, hideFields: hidden }) },
      { status: 400, headers },
    );
  }

  const checker = createClient(context.tongke.supabaseUrl, context.tongke.supabaseAnonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    global: { headers: context.tongke.clientIp ? { "x-forwarded-for": context.tongke.clientIp } : {} },
  });
  const check = await checker.auth.signInWithPassword({ email: claims.email ?? "", password: currentPassword });
  if (check.error) {
    return fail(check.error.code === "invalid_credentials" ? "profile:wrongCurrentPassword" : authErrorKey(check.error.code), check.error.status === 429 ? 429 : 400);
  }
  await checker.auth.signOut({ scope: "local" });

  const { supabase, headers: cookieHeaders } = createSupabaseServerClient(request, context);
  const { error } = await supabase.auth.updateUser({ password: newPassword });
  if (error) return fail(authErrorKey(error.code, "reasons" in error ? (error.reasons as string[]) : undefined), error.status === 429 ? 429 : 400);
  cookieHeaders.forEach((value, key) => key === "set-cookie" && headers.append(key, value));
  throw redirect("/profile?saved=password", { headers });
}


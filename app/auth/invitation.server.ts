import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { localeCookie } from "~/i18n/i18next.server";
import { getPreferredLanguage } from "~/people/queries.server";
import { authErrorKey } from "./auth-errors";
import { passwordProblemKey } from "./password-policy";
import { cameFromRecentEmailLink, checkCurrentPassword } from "./password-proof.server";
import { SetPasswordSchema } from "./schemas";
import { requireUser, safeRedirect } from "./session.server";
import { createSupabaseServerClient } from "./supabase.server";

/** Where the invitation should land: a path of this site, never another one. */
function landingPath(request: Request, redirectTo: string | null): string {
  if (!redirectTo) return "/";
  try {
    const target = new URL(redirectTo, request.url);
    return target.origin === new URL(request.url).origin ? safeRedirect(target.pathname + target.search) : "/";
  } catch {
    return "/";
  }
}

/**
 * The link in an invitation mail: exchanges its one-time token for a session (Supabase
 * Auth's verifyOtp), switches to the language the inviter chose, and asks for a password.
 */
export async function acceptInvitation(request: Request, context: AppLoadContext) {
  const url = new URL(request.url);
  const tokenHash = url.searchParams.get("token_hash");
  if (!tokenHash || url.searchParams.get("type") !== "invite") return data({ failed: true }, { status: 400 });

  const { supabase, headers } = createSupabaseServerClient(request, context);
  const { data: verified, error } = await supabase.auth.verifyOtp({ type: "invite", token_hash: tokenHash });
  if (error || !verified.session) return data({ failed: true }, { status: error?.status === 403 ? 403 : 400, headers });

  const claims = await context.tongke.verifyAccessToken(verified.session.access_token);
  const language = await withUserTransaction(context.tongke.database, claims, (tx) => getPreferredLanguage(tx, claims.sub));
  if (language) headers.append("set-cookie", await localeCookie.serialize(language));
  const next = landingPath(request, url.searchParams.get("redirect_to"));
  throw redirect(`/welcome?${new URLSearchParams({ next })}`, { headers });
}

/**
 * /welcome sets a password without the current one only for a session that came from an
 * invitation (or recovery) link within the hour (cameFromRecentEmailLink); anyone else — a
 * stolen cookie included — must give the current password, as on the profile page.
 */
export async function welcomeState(request: Request, context: AppLoadContext) {
  const { claims, headers } = await requireUser(request, context);
  return { email: claims.email ?? "", needsCurrentPassword: !cameFromRecentEmailLink(claims), headers };
}

export async function setFirstPassword(request: Request, context: AppLoadContext) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseWithZod(await request.formData(), { schema: SetPasswordSchema });
  const hidden = ["currentPassword", "newPassword", "confirmPassword"];
  if (submission.status !== "success") return data(submission.reply({ hideFields: hidden }), { status: 400, headers });
  const weak = passwordProblemKey(submission.value.newPassword, { email: claims.email });
  if (weak) return data(submission.reply({ fieldErrors: { newPassword: [weak] }, hideFields: hidden }), { status: 400, headers });
  if (!cameFromRecentEmailLink(claims)) {
    const current = submission.value.currentPassword ?? "";
    if (current === "") {
      return data(submission.reply({ fieldErrors: { currentPassword: ["validation:required"] }, hideFields: hidden }), { status: 400, headers });
    }
    const wrong = await checkCurrentPassword(context, claims.email ?? "", current);
    if (wrong) return data(submission.reply({ formErrors: [wrong.key], hideFields: hidden }), { status: wrong.status, headers });
  }
  const { supabase, headers: cookies } = createSupabaseServerClient(request, context);
  const { error } = await supabase.auth.updateUser({ password: submission.value.newPassword });
  if (error) {
    const reasons = "reasons" in error ? (error.reasons as string[]) : undefined;
    return data(submission.reply({ formErrors: [authErrorKey(error.code, reasons)], hideFields: hidden }), { status: 400, headers });
  }
  cookies.forEach((value, key) => key === "set-cookie" && headers.append(key, value));
  throw redirect(safeRedirect(submission.value.next), { headers });
}

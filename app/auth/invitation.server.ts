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
import { readFormData } from "~/components/refusal.server";
import { formMessage, parseForm } from "~/components/form";

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

/** The links Auth mails (supabase/templates/), as their `type` names them. */
const LINK_TYPES = ["invite", "recovery", "magiclink", "email", "email_change"] as const;
type LinkType = (typeof LINK_TYPES)[number];
const isLinkType = (value: string | null): value is LinkType => LINK_TYPES.includes(value as LinkType);

/**
 * A link from an Auth mail: exchanges its one-time token for a session (Supabase Auth's
 * verifyOtp) and switches to the person's language. An invitation or a recovery link then asks
 * for a new password (/welcome, without the old one); a sign-in or signup-confirmation link
 * goes where it was sent; an email change needs both of its links, and the first one says so.
 */
export async function acceptEmailLink(request: Request, context: AppLoadContext) {
  const url = new URL(request.url);
  const tokenHash = url.searchParams.get("token_hash");
  const type = url.searchParams.get("type");
  if (!tokenHash || !isLinkType(type)) return data({ state: "failed" as const, type: "invite" as LinkType }, { status: 400 });

  const { supabase, headers } = createSupabaseServerClient(request, context);
  const { data: verified, error } = await supabase.auth.verifyOtp({ type, token_hash: tokenHash });
  if (error) return data({ state: "failed" as const, type }, { status: error.status === 403 ? 403 : 400, headers });
  // The first of an email change's two links: nothing changes until the other is opened too.
  if (!verified.session) return data({ state: "emailChangeHalf" as const, type }, { headers });

  const claims = await context.tongke.verifyAccessToken(verified.session.access_token);
  const language = await withUserTransaction(context.tongke.database, claims, (tx) => getPreferredLanguage(tx, claims.sub));
  if (language) headers.append("set-cookie", await localeCookie.serialize(language));
  const next = landingPath(request, url.searchParams.get("redirect_to"));
  if (type === "invite" || type === "recovery") throw redirect(`/welcome?${new URLSearchParams({ next })}`, { headers });
  throw redirect(type === "email_change" ? "/profile" : next, { headers });
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
  const submission = parseForm(await readFormData(request), { schema: SetPasswordSchema });
  const hidden = ["currentPassword", "newPassword", "confirmPassword"];
  if (submission.status !== "success") return data(submission.reply({ hideFields: hidden }), { status: 400, headers });
  const weak = passwordProblemKey(submission.value.newPassword, { email: claims.email });
  if (weak)
    return data(submission.reply({ fieldErrors: { newPassword: formMessage(weak) }, hideFields: hidden }), { status: 400, headers });
  if (!cameFromRecentEmailLink(claims)) {
    const current = submission.value.currentPassword ?? "";
    if (current === "") {
      return data(submission.reply({ fieldErrors: { currentPassword: formMessage("validation:required") }, hideFields: hidden }), {
        status: 400,
        headers,
      });
    }
    const wrong = await checkCurrentPassword(context, claims.email ?? "", current);
    if (wrong) return data(submission.reply({ formErrors: formMessage(wrong.key), hideFields: hidden }), { status: wrong.status, headers });
  }
  const { supabase, headers: cookies } = createSupabaseServerClient(request, context);
  const { error } = await supabase.auth.updateUser({ password: submission.value.newPassword });
  if (error) {
    const reasons = "reasons" in error ? (error.reasons as string[]) : undefined;
    return data(submission.reply({ formErrors: formMessage(authErrorKey(error.code, reasons)), hideFields: hidden }), {
      status: 400,
      headers,
    });
  }
  cookies.forEach((value, key) => key === "set-cookie" && headers.append(key, value));
  throw redirect(safeRedirect(submission.value.next), { headers });
}

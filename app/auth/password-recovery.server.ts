import { data, type AppLoadContext } from "@remix-run/node";
import { authErrorKey } from "./auth-errors";
import { ForgotPasswordSchema } from "./forgot-password-schema";
import { createSupabaseServerClient } from "./supabase.server";
import { readFormData } from "~/components/refusal.server";
import { formMessage, parseForm } from "~/components/form";

/**
 * "Forgot password": asks Auth for a recovery mail (resetPasswordForEmail). Its link
 * (supabase/templates/recovery.html) points at /auth/confirm with type=recovery; the session it
 * gives may set a new password on /welcome without the old one (cameFromRecentEmailLink).
 *
 * The answer is the same whether or not the address has an account. GoTrue's per-address
 * frequency answer (a mail to that address within the last minute: over_email_send_rate_limit,
 * "For security purposes, …") is answered as sent too: it is true, and telling it apart would
 * tell that the account exists. The instance's hourly mail budget, with the same code, is not.
 */
export async function requestPasswordReset(request: Request, context: AppLoadContext) {
  const submission = parseForm(await readFormData(request), { schema: ForgotPasswordSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: false }, { status: 400 });

  const { supabase } = createSupabaseServerClient(request, context);
  const { error } = await supabase.auth.resetPasswordForEmail(submission.value.email);
  const sentRecently = error?.code === "over_email_send_rate_limit" && error.message.startsWith("For security purposes");
  if (error && !sentRecently) {
    if (error.status === 429) {
      return data({ result: submission.reply({ formErrors: formMessage("auth:forgot.rateLimited") }), sent: false }, { status: 429 });
    }
    console.error("password recovery: Auth refused the request", error.code, error.status);
    return data({ result: submission.reply({ formErrors: formMessage(authErrorKey(error.code)) }), sent: false }, { status: 400 });
  }
  return data({ result: submission.reply({ resetForm: true }), sent: true });
}

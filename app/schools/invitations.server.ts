import { data, type AppLoadContext } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { redirectWithToast } from "~/components/toast.server";
import { createAuthAdmin } from "~/auth/admin.server";
import { requireUser } from "~/auth/session.server";
import { refusalKey } from "~/components/form-errors.server";
import type { Transaction } from "~/db/client.server";
import { selectRows } from "~/db/execute.server";
import { profiles, schoolMemberships } from "~/db/schema";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { canManageSchool } from "./mutations.server";
import { getSchool } from "./queries.server";
import { InviteSchema } from "./schemas";
import { formMessage, type FormMessages, parseForm } from "~/components/form";

/** The account behind an exact address, if any — asked as the inviter, who must manage the school. */
export async function accountForInvitation(tx: Transaction, schoolId: string, email: string): Promise<string | null> {
  const [row] = await selectRows<{ id: string | null }>(tx, sql`select public.account_for_invitation(${schoolId}, ${email}) as id`);
  return row?.id ?? null;
}

/**
 * Invites a teacher or school admin by email. Someone who already has an account is added
 * to the school at once; anyone else gets an account through Supabase Auth's invitation
 * (a mail with a one-time link to set a password) and the membership, written as the
 * inviter so the policies decide. If the membership is refused, the new account goes too.
 */
export async function inviteToSchool(request: Request, context: AppLoadContext, schoolId: string, formData: FormData) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseForm(formData, { schema: InviteSchema });
  const reply = (status: number, formErrors?: FormMessages) =>
    data({ intent: "invite", reply: submission.reply(formErrors ? { formErrors } : undefined) }, { status, headers });
  if (submission.status !== "success") return reply(400);
  const { email, displayName, role, preferredLanguage } = submission.value;

  const found = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    if (!(await canManageSchool(tx, schoolId))) return null;
    const [inviter] = await tx.select({ name: profiles.displayName }).from(profiles).where(eq(profiles.id, claims.sub));
    const school = await getSchool(tx, schoolId);
    return { existing: await accountForInvitation(tx, schoolId, email), inviter: inviter?.name ?? "", school };
  });
  if (!found?.school) return reply(403, formMessage("errors:forbidden.body"));

  let userId = found.existing;
  let invited = false;
  if (!userId) {
    const origin = new URL(request.url).origin;
    const { data: result, error } = await createAuthAdmin(context).inviteUserByEmail(email, {
      data: {
        display_name: displayName,
        preferred_language: preferredLanguage,
        invited_by_name: found.inviter,
        school_name: found.school.nameZh,
      },
      redirectTo: `${origin}/schools/${schoolId}`,
    });
    if (error || !result.user) return reply(400, formMessage("school:invite.failed"));
    userId = result.user.id;
    invited = true;
  }

  try {
    await withUserTransaction(context.tongke.database, claims, (tx) =>
      tx.insert(schoolMemberships).values({ schoolId, userId: userId!, role }),
    );
  } catch (error) {
    if (invited) await createAuthAdmin(context).deleteUser(userId);
    return reply(400, formMessage(refusalKey(error, "school:invite.alreadyMember")));
  }
  throw await redirectWithToast(`/schools/${schoolId}`, { key: invited ? "school:saved.invited" : "school:saved.added" }, headers);
}

import { data, type AppLoadContext } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { redirectWithToast } from "~/components/toast.server";
import { requireUser } from "~/auth/session.server";
import { selectRows } from "~/db/execute.server";
import { refusalOf } from "~/db/refusals";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { ProposePairingSchema, TransitionSchema } from "./schemas";
import { readFormData } from "~/components/refusal.server";
import { formMessage, parseForm } from "~/components/form";

/** The translated reason a pairing function refused, or the error itself when it is not one of theirs. */
function refusal(error: unknown): string {
  const refusal = refusalOf(error, "pairings");
  if (!refusal) throw error;
  return refusal.key;
}

export async function proposePairing(request: Request, context: AppLoadContext) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseForm(await readFormData(request), { schema: ProposePairingSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers });
  const { schoolAId, schoolBId, term, jointLessonsPlanned, subjects, note } = submission.value;
  let id: string;
  try {
    id = await withUserTransaction(context.tongke.database, claims, async (tx) => {
      const subjectArray = sql`array[${sql.join(
        subjects.map((s) => sql`${s}`),
        sql`, `,
      )}]::text[]`;
      const [row] = await selectRows<{ id: string }>(
        tx,
        sql`select public.propose_pairing(${schoolAId}, ${schoolBId}, ${term}, ${jointLessonsPlanned}, ${subjectArray}, ${note ?? null}) as id`,
      );
      return row.id;
    });
  } catch (error) {
    return data(submission.reply({ formErrors: formMessage(refusal(error)) }), { status: 400, headers });
  }
  throw await redirectWithToast(`/pairings/${id}`, { key: "pairings:done.proposed" }, headers);
}

/** Accept, decline, forward, withdraw, pause, resume or end — the database decides who may. */
export async function transitionPairing(request: Request, context: AppLoadContext, pairingId: string) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseForm(await readFormData(request), { schema: TransitionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers });
  const { action, reason, expectedVersion } = submission.value;
  try {
    await withUserTransaction(context.tongke.database, claims, (tx) =>
      selectRows(tx, sql`select public.transition_pairing(${pairingId}, ${action}, ${reason ?? null}, ${expectedVersion})`),
    );
  } catch (error) {
    const key = refusal(error);
    return data(submission.reply({ formErrors: formMessage(key) }), { status: key === "pairings:errors.conflict" ? 409 : 400, headers });
  }
  throw await redirectWithToast(`/pairings/${pairingId}`, { key: `pairings:done.${action}` }, headers);
}

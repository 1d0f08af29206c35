import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { redirectWithToast } from "~/components/toast.server";
import { requireUser } from "~/auth/session.server";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { adaptPlan, planRefusal, recordRestore, saveVersion, transitionPlan } from "./writes.server";
import { getVersion } from "./queries.server";
import { PlanActionSchema } from "./schemas";
import { readFormData } from "~/components/refusal.server";
import { formMessage, parseForm } from "~/components/form";

/**
 * The plan page's forms: move through the workflow, save or restore a version, adapt (复备).
 * The database decides who may; the collaboration server supplies the live document.
 */
export async function planPageAction(request: Request, context: AppLoadContext, planId: string) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseForm(await readFormData(request), { schema: PlanActionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers });
  const value = submission.value;
  const database = context.tongke.database;
  try {
    switch (value.intent) {
      case "transition":
        await withUserTransaction(database, claims, (tx) => transitionPlan(tx, planId, value.action, value.expectedVersion));
        throw await redirectWithToast(`/lesson-plans/${planId}`, { key: `lessonPlans:done.${value.action}` }, headers);
      case "adapt": {
        const id = await withUserTransaction(database, claims, (tx) => adaptPlan(tx, planId));
        throw redirect(`/lesson-plans/${id}/edit`, { headers });
      }
      case "saveVersion": {
        const document = await context.tongke.collab.snapshot(planId);
        await withUserTransaction(database, claims, (tx) => saveVersion(tx, planId, value.name, document));
        throw await redirectWithToast(`/lesson-plans/${planId}#versions`, { key: "lessonPlans:done.versionSaved" }, headers);
      }
      case "restoreVersion": {
        // Recorded (and the editor's right checked) first; then applied as a new change.
        const version = await withUserTransaction(database, claims, async (tx) => {
          await recordRestore(tx, planId, value.versionId);
          return getVersion(tx, planId, value.versionId);
        });
        if (!version) throw new Response("Not found", { status: 404 });
        await context.tongke.collab.restore(planId, version.state);
        throw await redirectWithToast(`/lesson-plans/${planId}`, { key: "lessonPlans:done.versionRestored" }, headers);
      }
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    const key = planRefusal(error);
    return data(submission.reply({ formErrors: formMessage(key) }), { status: key === "lessonPlans:errors.conflict" ? 409 : 400, headers });
  }
}

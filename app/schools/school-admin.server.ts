import { data, type AppLoadContext } from "@remix-run/node";
import { redirectWithToast } from "~/components/toast.server";
import { requireUser } from "~/auth/session.server";
import { refusalKey } from "~/components/form-errors.server";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { addClassroom, createSchool, regionsIManage, removeClassroom, removeMembership, updateSchool } from "./mutations.server";
import { inviteToSchool } from "./invitations.server";
import { getSchool } from "./queries.server";
import { SchoolChangeSchema, SchoolSchema } from "./schemas";
import { byIntent, readFormData } from "~/components/refusal.server";
import { formMessage, parseForm } from "~/components/form";

const DUPLICATE_SCHOOL = "school:errors.duplicateName";
const DUPLICATE_CLASSROOM = "school:errors.duplicateClassroom";

/** The regions the user may put schools in; a 403 for people who manage none. */
export async function loadSchoolEditor(request: Request, context: AppLoadContext, schoolId?: string) {
  const { claims, headers } = await requireUser(request, context);
  const { regions, school } = await withUserTransaction(context.tongke.database, claims, async (tx) => ({
    regions: await regionsIManage(tx, claims.sub),
    school: schoolId ? await getSchool(tx, schoolId) : null,
  }));
  if (schoolId && !school) throw new Response("Not found", { status: 404 });
  if (regions.length === 0 || (school && !regions.some((r) => r.id === school.region.id))) {
    throw new Response("Forbidden", { status: 403 });
  }
  return data({ regions, school }, { headers });
}

export async function saveSchool(request: Request, context: AppLoadContext, schoolId?: string) {
  const { claims, headers } = await requireUser(request, context);
  const submission = parseForm(await readFormData(request), { schema: SchoolSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers });
  let savedId: string | undefined;
  try {
    savedId = await withUserTransaction(context.tongke.database, claims, async (tx) =>
      schoolId ? (await updateSchool(tx, schoolId, submission.value))[0]?.id : (await createSchool(tx, submission.value))?.id,
    );
  } catch (error) {
    return data(submission.reply({ formErrors: formMessage(refusalKey(error, DUPLICATE_SCHOOL)) }), { status: 400, headers });
  }
  if (!savedId) return data(submission.reply({ formErrors: formMessage("errors:forbidden.body") }), { status: 403, headers });
  throw await redirectWithToast(`/schools/${savedId}`, { key: "school:saved.school" }, headers);
}

/** The school page's own forms: classrooms, and removing members. */
export async function schoolPageAction(request: Request, context: AppLoadContext, schoolId: string) {
  const user = await requireUser(request, context);
  const change = (formData: FormData) => changeSchool(user, context, schoolId, formData);
  return byIntent(request, await readFormData(request), {
    invite: (formData) => inviteToSchool(request, context, schoolId, formData),
    "add-classroom": change,
    "remove-classroom": change,
    "remove-member": change,
  });
}

/** Adds or removes a classroom, or removes a member: the policies decide who may. */
async function changeSchool(
  { claims, headers }: Awaited<ReturnType<typeof requireUser>>,
  context: AppLoadContext,
  schoolId: string,
  formData: FormData,
) {
  const intent = formData.get("intent");
  const submission = parseForm(formData, { schema: SchoolChangeSchema });
  if (submission.status !== "success") {
    return data({ intent: String(intent), reply: submission.reply() }, { status: 400, headers });
  }
  const value = submission.value;
  let changed = 0;
  try {
    changed = await withUserTransaction(context.tongke.database, claims, async (tx) => {
      if (value.intent === "add-classroom") return (await addClassroom(tx, schoolId, value)).length;
      if (value.intent === "remove-classroom") return (await removeClassroom(tx, schoolId, value.classroomId)).length;
      return (await removeMembership(tx, schoolId, value.userId, value.role)).length;
    });
  } catch (error) {
    const key = refusalKey(error, DUPLICATE_CLASSROOM);
    return data({ intent: value.intent, reply: submission.reply({ formErrors: formMessage(key) }) }, { status: 400, headers });
  }
  if (changed === 0) {
    return data(
      { intent: value.intent, reply: submission.reply({ formErrors: formMessage("errors:forbidden.body") }) },
      { status: 403, headers },
    );
  }
  throw await redirectWithToast(`/schools/${schoolId}`, { key: `school:saved.${value.intent}` }, headers);
}

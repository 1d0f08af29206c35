import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalKeys } from "../../app/auth/keys.server";
import { takeToast } from "../../app/components/toast.server";
import { action as sessionAction } from "../../app/routes/live.$sessionId._index";
import { action as weekAction } from "../../app/routes/live._index";
import { describeJson } from "../../app/lesson-plans/document.server";
import { action as planAction } from "../../app/routes/lesson-plans.$planId._index";
import { action as detailsAction } from "../../app/routes/lesson-plans.$planId.details";
import { action as transitionAction } from "../../app/routes/pairings.$pairingId";
import { action as newPlanAction } from "../../app/routes/pairings.$pairingId_.plans.new";
import { action as scheduleAction } from "../../app/routes/pairings.$pairingId_.sessions.new";
import { action as proposeAction } from "../../app/routes/pairings.new";
import { action as languageAction } from "../../app/routes/language";
import { action as loginAction } from "../../app/routes/login";
import { action as logoutAction } from "../../app/routes/logout";
import { action as notificationsAction } from "../../app/routes/notifications";
import { action as profileAction, loader as profileLoader } from "../../app/routes/profile";
import { action as editSchoolAction } from "../../app/routes/schools.$schoolId_.edit";
import { action as schoolAction } from "../../app/routes/schools.$schoolId";
import { action as newSchoolAction } from "../../app/routes/schools.new";
import { createAuthServers } from "../support/auth-server";
import { setupTestDatabase } from "../support/db-suite";
import { createLiveSessionWorld, slot, type LiveSessionPersona, type Slot } from "../support/live-session-world";
import { PASSWORD, routeContext, sessionCookieFor } from "../support/route-session";

/**
 * The pages' form actions, called as Remix calls them (a form post with the session's
 * cookies): a schema error answers 400 with the field's message and writes nothing; a refusal
 * of the database answers 400 with the form's message, in { key, values }; success redirects
 * with a toast, and an intent the page does not have is a translated 400.
 */
const JWT_SECRET = "tongke-page-actions-test-secret-0123456789abcdef";

const database = setupTestDatabase();
let keys: { anonKey: string; serviceRoleKey: string };
let baseUrl: string;
const authServers = createAuthServers(() => ({ handle: database.handle, jwtSecret: JWT_SECRET, ...keys }));

beforeAll(async () => {
  keys = await createLocalKeys(JWT_SECRET);
  baseUrl = await authServers.serve();
});
afterAll(() => authServers.close());

// A new plan's first document is described by the collaboration server's own function.
const context = () =>
  routeContext({
    handle: database.handle,
    auth: { url: baseUrl, jwtSecret: JWT_SECRET, ...keys },
    extra: { collab: { describe: describeJson } as never },
  });

type World = Awaited<ReturnType<typeof createLiveSessionWorld>>;
let world: World;
const cookies = new Map<string, string>();
async function cookieOf(persona: LiveSessionPersona) {
  const user = world.users[persona];
  if (!cookies.has(user.id)) cookies.set(user.id, await sessionCookieFor(database.handle, { url: baseUrl, anonKey: keys.anonKey }, user));
  return cookies.get(user.id)!;
}

interface Answer {
  status: number;
  /** What the action returned with data(): the page's form result. */
  body?: { intent?: string; reply?: Reply } & Reply;
  location?: string | null;
  headers: Headers;
}
type Reply = { status?: string; error?: Record<string, { key: string; values?: Record<string, unknown> }[] | null> };

/** A form post to `path` as `persona`, through the route's action; what Remix would answer. */
async function post(
  route: (args: never) => unknown,
  persona: LiveSessionPersona | { cookie: string } | null,
  path: string,
  fields: Record<string, string>,
  params: Record<string, string> = {},
): Promise<Answer> {
  const cookie = persona === null ? undefined : typeof persona === "string" ? await cookieOf(persona) : persona.cookie;
  const request = new Request(`http://app.test${path}`, {
    method: "POST",
    headers: { ...(cookie ? { cookie } : {}), "accept-language": "en", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  let result: unknown;
  try {
    result = await route({ request, params, context: context() } as never);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response) return { status: result.status, location: result.headers.get("location"), headers: result.headers };
  const { data, init } = result as { data: Answer["body"]; init: ResponseInit | null };
  return { status: init?.status ?? 200, body: data, headers: new Headers(init?.headers) };
}

/** The toast a redirect carries, as the next page's root loader reads it. */
async function toastOf(answer: Answer) {
  const cookie = answer.headers.getSetCookie().find((c) => c.startsWith("tk_toast="));
  if (!cookie) return null;
  return (await takeToast(new Request("http://app.test/", { headers: { cookie: cookie.split(";")[0] } }))).toast;
}

/** A time as the form's datetime-local field sends it: the school's wall clock (China, UTC+8). */
const schoolTime = (date: Date) => new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  world = await createLiveSessionWorld(database.handle);
});

describe("scheduling a class (pairings.$pairingId_.sessions.new)", () => {
  const form = (when: Slot, changes: Record<string, string> = {}) => ({
    title: "《秋天的雨》同步课",
    lessonPlanId: world.planId,
    mainClassroomId: world.classrooms.A1.id,
    mainTeacherId: world.users.mainA.id,
    "receiving[0].classroomId": world.classrooms.B1.id,
    "receiving[0].teacherId": world.users.receivingB.id,
    startsAt: schoolTime(when[0]),
    durationMinutes: "40",
    ...changes,
  });
  const schedule = (fields: Record<string, string>) =>
    post(scheduleAction, "mainA", `/pairings/${world.pairingId}/sessions/new`, fields, { pairingId: world.pairingId });

  it("answers a schema error with the field's message and writes nothing", async () => {
    const before = await world.footprint();
    const answer = await schedule(form(slot(3, "09:20", "10:00"), { title: "", durationMinutes: "7" }));
    expect(answer.status).toBe(400);
    expect(answer.body?.error?.title).toEqual([{ key: "validation:required" }]);
    expect(answer.body?.error?.durationMinutes?.[0].key).toMatch(/^live:errors\./);
    expect(await world.footprint()).toEqual(before);
  });

  it("schedules, and says how many classes on the class's page", async () => {
    const answer = await schedule(form(slot(4, "09:20", "10:00")));
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^\/live\/[0-9a-f-]{36}$/);
    expect(await toastOf(answer)).toMatchObject({ key: "live:session.scheduled", values: { count: 1 } });
  });

  it("answers a clash with the classroom's name and time, as values, and writes nothing", async () => {
    const when = slot(5, "10:20", "11:00");
    await world.scheduleOne(when);
    const before = await world.footprint();
    const answer = await schedule(form(when));
    expect(answer.status).toBe(400);
    expect(answer.body?.error?.[""]).toEqual([
      { key: "live:errors.clashClassroom", values: { name: "合川 三年级一班", time: expect.stringContaining("10:20") } },
    ]);
    expect(await world.footprint()).toEqual(before);
  });
});

describe("a class's page (live.$sessionId._index)", () => {
  const act = (persona: LiveSessionPersona, sessionId: string, fields: Record<string, string>) =>
    post(sessionAction, persona, `/live/${sessionId}`, fields, { sessionId });

  it("refuses an intent it does not have, and a move without a reason, writing nothing", async () => {
    const sessionId = await world.scheduleOne(slot(8, "09:20", "10:00"));
    const before = await world.footprint();
    expect((await act("mainA", sessionId, { intent: "delete" })).status).toBe(400);
    const moved = await act("mainA", sessionId, {
      intent: "reschedule",
      startsAt: schoolTime(slot(9, "09:20", "10:00")[0]),
      durationMinutes: "40",
    });
    expect(moved.status).toBe(400);
    expect(moved.body).toMatchObject({ intent: "reschedule", reply: { error: { reason: [{ key: "live:errors.reasonRequired" }] } } });
    expect(await world.footprint()).toEqual(before);
  });

  it("answers a teacher of neither class with the refusal's words, and cancels for the class's teacher with a toast", async () => {
    const sessionId = await world.scheduleOne(slot(10, "09:20", "10:00"));
    const before = await world.footprint();
    const refused = await act("teacherC", sessionId, { intent: "cancel", reason: "weather" });
    expect(refused.status).toBe(400);
    expect(refused.body?.reply?.error?.[""]?.[0].key).toMatch(/^live:errors\./);
    expect(await world.footprint()).toEqual(before);

    const cancelled = await act("mainA", sessionId, { intent: "cancel", reason: "weather", note: "大雪" });
    expect(cancelled.status).toBe(302);
    expect(cancelled.location).toBe(`/live/${sessionId}`);
    expect(await toastOf(cancelled)).toMatchObject({ key: "live:session.done.cancel" });
    expect((await world.session(sessionId)).status).toBe("cancelled");
  });
});

describe("the profile (profile)", () => {
  const save = (fields: Record<string, string>) => post(profileAction, "mainA", "/profile", fields);

  it("refuses an intent it does not have, and a blank name, with the field's message", async () => {
    expect((await save({ intent: "delete-account" })).status).toBe(400);
    const blank = await save({ intent: "profile", displayName: "   ", preferredLanguage: "bo" });
    expect(blank.status).toBe(400);
    expect(blank.body?.reply?.error?.displayName).toEqual([{ key: "validation:required" }]);
    const [row] = await database.handle.query<{ display_name: string }>("select display_name from public.profiles where id = $1", [
      world.users.mainA.id,
    ]);
    expect(row.display_name).toBe("mainA");
  });

  it("saves and says so on the profile page", async () => {
    const saved = await save({ intent: "profile", displayName: "王丽", preferredLanguage: "bo" });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/profile");
    expect(await toastOf(saved)).toMatchObject({ key: "profile:profileSaved" });
  });
});

describe("the calendar feed (live._index)", () => {
  it("makes a secret address, takes it back, and refuses an intent it does not have", async () => {
    const rotated = await post(weekAction, "receivingB", "/live", { intent: "rotate-feed" });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ feedUrl: expect.stringMatching(/^http:\/\/app\.test\/calendar\/.+\.ics\?lang=en$/) });
    const revoked = await post(weekAction, "receivingB", "/live", { intent: "revoke-feed" });
    expect(revoked.body).toMatchObject({ feedUrl: null, revoked: true });
    expect((await post(weekAction, "receivingB", "/live", { intent: "rotate" })).status).toBe(400);
  });
});

describe("proposing and moving a pairing (pairings.new, pairings.$pairingId)", () => {
  const pairingsOf = async () =>
    Number((await database.handle.query<{ n: number }>("select count(*)::int as n from public.pairings"))[0].n);
  const propose = (fields: Record<string, string>) =>
    post(proposeAction, "coordinatorX", "/pairings/new", {
      term: "2026-2027-1",
      jointLessonsPlanned: "8",
      subjects: "chinese",
      ...fields,
    });

  it("answers a missing subject and two schools of one region with their messages, and writes nothing", async () => {
    const before = await pairingsOf();
    const noSubject = await propose({ schoolAId: world.schoolC.id, schoolBId: world.schoolD.id, subjects: "" });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body?.error?.subjects).toEqual([{ key: "pairings:errors.subjectsRequired" }]);
    const sameRegion = await propose({ schoolAId: world.schoolA.id, schoolBId: world.schoolC.id });
    expect(sameRegion.status).toBe(400);
    expect(sameRegion.body?.error?.[""]).toEqual([{ key: "pairings:errors.sameRegion" }]);
    expect(await pairingsOf()).toBe(before);
  });

  it("proposes with a toast, refuses a stale version with 409, and withdraws with a toast", async () => {
    const proposed = await propose({ schoolAId: world.schoolC.id, schoolBId: world.schoolD.id });
    expect(proposed.status).toBe(302);
    const id = proposed.location!.split("/").pop()!;
    expect(proposed.location).toBe(`/pairings/${id}`);
    expect(await toastOf(proposed)).toMatchObject({ key: "pairings:done.proposed" });

    const { version } = await world.pairing(id);
    const move = (fields: Record<string, string>) => post(transitionAction, "coordinatorX", `/pairings/${id}`, fields, { pairingId: id });
    const stale = await move({ action: "withdraw", expectedVersion: String(version - 1) });
    expect(stale.status).toBe(409);
    expect(stale.body?.error?.[""]).toEqual([{ key: "pairings:errors.conflict" }]);
    expect((await world.pairing(id)).status).toBe("proposed");

    const withdrawn = await move({ action: "withdraw", expectedVersion: String(version) });
    expect(withdrawn.status).toBe(302);
    expect(await toastOf(withdrawn)).toMatchObject({ key: "pairings:done.withdraw" });
    expect((await world.pairing(id)).status).toBe("withdrawn");
  });
});

describe("a lesson plan's forms (plans.new, details, the plan page)", () => {
  const versionOf = async (planId: string) =>
    Number(
      (await database.handle.query<{ version: number }>("select version from public.lesson_plans where id = $1", [planId]))[0].version,
    );
  const metadata = (changes: Record<string, string> = {}) => ({
    title: "《秋天的雨》第二课时",
    subject: "chinese",
    grade: "3",
    periods: "1",
    leadAuthorId: world.users.mainA.id,
    ...changes,
  });

  it("creates a plan and opens its editor; a bad number of periods writes nothing", async () => {
    const plansOf = async () =>
      Number((await database.handle.query<{ n: number }>("select count(*)::int as n from public.lesson_plans"))[0].n);
    const before = await plansOf();
    const create = (fields: Record<string, string>) =>
      post(newPlanAction, "mainA", `/pairings/${world.pairingId}/plans/new`, fields, { pairingId: world.pairingId });
    const refused = await create(metadata({ periods: "12", language: "zh-CN" }));
    expect(refused.status).toBe(400);
    expect(refused.body?.error?.periods).toEqual([{ key: "lessonPlans:errors.periods" }]);
    expect(await plansOf()).toBe(before);
    const created = await create(metadata({ language: "zh-CN" }));
    expect(created.status).toBe(302);
    expect(created.location).toMatch(/^\/lesson-plans\/[0-9a-f-]{36}\/edit$/);
    expect(await plansOf()).toBe(before + 1);
  });

  it("saves the details with a toast, and answers an edit made meanwhile by someone else with 409", async () => {
    const planId = world.planId;
    const version = await versionOf(planId);
    const save = (fields: Record<string, string>) => post(detailsAction, "mainA", `/lesson-plans/${planId}/details`, fields, { planId });
    const saved = await save(metadata({ expectedVersion: String(version) }));
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/lesson-plans/${planId}`);
    expect(await toastOf(saved)).toMatchObject({ key: "lessonPlans:done.detailsSaved" });
    const stale = await save(metadata({ title: "旧的标题", expectedVersion: String(version) }));
    expect(stale.status).toBe(409);
    expect(stale.body?.error?.[""]).toEqual([{ key: "lessonPlans:errors.conflict" }]);
  });

  it("moves the plan through review with a toast; a version without a name is refused", async () => {
    const planId = world.planId;
    const act = (fields: Record<string, string>) => post(planAction, "mainA", `/lesson-plans/${planId}`, fields, { planId });
    const unnamed = await act({ intent: "saveVersion", name: " " });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body?.error?.name).toEqual([{ key: "lessonPlans:errors.versionNameRequired" }]);
    const submitted = await act({ intent: "transition", action: "submit", expectedVersion: String(await versionOf(planId)) });
    expect(submitted.status).toBe(302);
    expect(await toastOf(submitted)).toMatchObject({ key: "lessonPlans:done.submit" });
  });
});

describe("schools (schools.new, the school page)", () => {
  const count = async (table: string, where = "true", params: unknown[] = []) =>
    Number((await database.handle.query<{ n: number }>(`select count(*)::int as n from public.${table} where ${where}`, params))[0].n);

  it("creates a school in a region its coordinator manages, with a toast; a missing name or a duplicate writes nothing", async () => {
    const create = (persona: LiveSessionPersona, fields: Record<string, string>) =>
      post(newSchoolAction, persona, "/schools/new", { regionId: world.regionX.id, stage: "primary", ...fields });
    const before = await count("schools");
    const unnamed = await create("coordinatorX", { nameZh: " " });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body?.error?.nameZh).toEqual([{ key: "validation:required" }]);
    const created = await create("coordinatorX", { nameZh: "合川区太和小学", nameBo: "ཧོ་ཁྲོན་ཐེ་ཧོ་སློབ་ཆུང་།" });
    expect(created.status).toBe(302);
    expect(created.location).toMatch(/^\/schools\/[0-9a-f-]{36}$/);
    expect(await toastOf(created)).toMatchObject({ key: "school:saved.school" });
    const again = await create("coordinatorX", { nameZh: "合川区太和小学" });
    expect(again.status).toBe(400);
    expect(again.body?.error?.[""]).toEqual([{ key: "school:errors.duplicateName" }]);
    // A teacher manages no region: refused, nothing written.
    expect((await create("teacherA", { nameZh: "合川区另一所小学" })).status).toBeGreaterThanOrEqual(400);
    expect(await count("schools")).toBe(before + 1);
  });

  it("adds a classroom for the school's admin with a toast, and refuses a blank name, a duplicate, a teacher and an unknown intent", async () => {
    const schoolId = world.schoolA.id;
    const act = (persona: LiveSessionPersona, fields: Record<string, string>) =>
      post(schoolAction, persona, `/schools/${schoolId}`, fields, { schoolId });
    const classrooms = () => count("classrooms", "school_id = $1", [schoolId]);
    const before = await classrooms();
    expect((await act("adminA", { intent: "rename-school" })).status).toBe(400);
    const blank = await act("adminA", { intent: "add-classroom", name: "" });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ intent: "add-classroom", reply: { error: { name: [{ key: "validation:required" }] } } });
    const added = await act("adminA", { intent: "add-classroom", name: "三年级三班" });
    expect(added.status).toBe(302);
    expect(added.location).toBe(`/schools/${schoolId}`);
    expect(await toastOf(added)).toMatchObject({ key: "school:saved.add-classroom" });
    const duplicate = await act("adminA", { intent: "add-classroom", name: "三年级三班" });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body?.reply?.error?.[""]).toEqual([{ key: "school:errors.duplicateClassroom" }]);
    const teacher = await act("teacherA", { intent: "add-classroom", name: "三年级四班" });
    expect(teacher.status).toBeGreaterThanOrEqual(400);
    expect(teacher.body?.reply?.error?.[""]?.[0].key).toMatch(/^errors:|^school:/);
    expect(await classrooms()).toBe(before + 1);
  });
});

describe("signing in and out, the language, notifications, editing a school", () => {
  it("signs in: a malformed address and a wrong password are refused with their messages, the right one sets the session", async () => {
    await cookieOf("mainA"); // sets the persona's password
    const email = world.users.mainA.email;
    const malformed = await post(loginAction, null, "/login", { email: "not an address", password: "x" });
    expect(malformed.status).toBe(400);
    expect(malformed.body?.error?.email).toEqual([{ key: "validation:email" }]);
    const wrong = await post(loginAction, null, "/login", { email, password: "not the password" });
    expect(wrong.status).toBe(400);
    expect(wrong.body?.error?.[""]?.[0].key).toMatch(/^auth:/);
    const right = await post(loginAction, null, "/login", { email, password: PASSWORD, redirectTo: "/profile" });
    expect(right.status).toBe(302);
    expect(right.location).toBe("/profile");
    expect(right.headers.getSetCookie().some((c) => c.startsWith("sb-"))).toBe(true);
  });

  it("signs out: the cookies are cleared and the old ones no longer open a page", async () => {
    const user = world.users.coordinatorY2;
    const cookie = await sessionCookieFor(database.handle, { url: baseUrl, anonKey: keys.anonKey }, user);
    const out = await post(logoutAction, { cookie }, "/logout", {});
    expect(out.status).toBe(302);
    expect(out.location).toBe("/login");
    expect(out.headers.getSetCookie().every((c) => /Max-Age=0/i.test(c))).toBe(true);
    let page: Response;
    try {
      page = (await profileLoader({
        request: new Request("http://app.test/profile", { headers: { cookie } }),
        params: {},
        context: context(),
      } as never)) as unknown as Response;
    } catch (thrown) {
      page = thrown as Response;
    }
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toMatch(/^\/login/);
  });

  it("keeps the language in a cookie and the profile, and refuses a language it does not have", async () => {
    const chosen = await post(languageAction, "adminA", "/language", { lng: "bo", redirectTo: "/profile" });
    expect(chosen.status).toBe(302);
    expect(chosen.location).toBe("/profile");
    expect(chosen.headers.getSetCookie().some((c) => c.startsWith("lng="))).toBe(true);
    const [row] = await database.handle.query<{ preferred_language: string }>(
      "select preferred_language from public.profiles where id = $1",
      [world.users.adminA.id],
    );
    expect(row.preferred_language).toBe("bo");
    expect((await post(languageAction, "adminA", "/language", { lng: "fr" })).status).toBe(400);
  });

  it("marks notifications read, and refuses what is not a notification", async () => {
    const unread = async () =>
      Number(
        (
          await database.handle.query<{ n: number }>(
            "select count(*)::int as n from public.notifications where user_id = $1 and read_at is null",
            [world.users.coordinatorY.id],
          )
        )[0].n,
      );
    expect(await unread()).toBeGreaterThan(0);
    expect((await post(notificationsAction, "coordinatorY", "/notifications", { id: "not-an-id" })).status).toBe(400);
    expect(await unread()).toBeGreaterThan(0);
    const all = await post(notificationsAction, "coordinatorY", "/notifications", { all: "1" });
    expect(all.status).toBe(302);
    expect(all.location).toBe("/notifications");
    expect(await unread()).toBe(0);
  });

  it("edits a school for its region's coordinator with a toast, and refuses a teacher", async () => {
    const schoolId = world.schoolC.id;
    const edit = (persona: LiveSessionPersona, nameZh: string) =>
      post(editSchoolAction, persona, `/schools/${schoolId}/edit`, { regionId: world.regionX.id, nameZh, stage: "primary" }, { schoolId });
    const refused = await edit("teacherA", "不该改的名字");
    expect(refused.status).toBe(403);
    expect(refused.body?.error?.[""]).toEqual([{ key: "errors:forbidden.body" }]);
    const saved = await edit("coordinatorX", "合川区南屏小学");
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/schools/${schoolId}`);
    expect(await toastOf(saved)).toMatchObject({ key: "school:saved.school" });
    const [row] = await database.handle.query<{ name_zh: string }>("select name_zh from public.schools where id = $1", [schoolId]);
    expect(row.name_zh).toBe("合川区南屏小学");
  });
});

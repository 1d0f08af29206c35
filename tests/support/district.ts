/**
 * A generated district for `npm run bench:scale` and the scale guard test: regions, schools,
 * classrooms, people, pairings in every state, lesson plans, live classes, activity and
 * notifications, written with set-based SQL as the owner. At scale 1: 10 regions, 2,000
 * schools, 10,000 classrooms, 20,020 people, 1,000 pairings, 50,000 lesson plans with 1–2 KB
 * of text, 20,000 live classes, 200,000 activity events, 100,000 notifications. Triggers and
 * foreign-key checks are off while loading (session_replication_role = replica), so the rows
 * are written as they are given.
 */
import { sql } from "drizzle-orm";
import type { DbHandle, Transaction } from "../../app/db/client.server";
import { canSeeDashboard, loadDashboard } from "../../app/dashboard/queries.server";
import { listPlans } from "../../app/lesson-plans/queries.server";
import { hasCalendarFeed } from "../../app/live/writes.server";
import { listSessions } from "../../app/live/queries.server";
import { getPairing, goalNotes, listPairingEvents, myStanding, unreadNotificationCount } from "../../app/pairings/queries.server";
import { termOf } from "../../app/pairings/schemas";
import { getMyRoles } from "../../app/people/queries.server";
import { claimsFor } from "./factories";

// Ids are made from their number, so rows can point at each other without lookups.
const id = (prefix: string, column: string) => `('${prefix}000000-0000-4000-8000-' || lpad(to_hex(${column}), 12, '0'))::uuid`;
const uuidOf = (prefix: string, index: number) => `${prefix}000000-0000-4000-8000-${index.toString(16).padStart(12, "0")}`;
const PARAGRAPH =
  "教学目标：学生能够说出光合作用的原料、条件和产物，理解叶绿体在其中的作用。教学重点：光合作用的过程。教学难点：能量的转化。" +
  "教学过程：导入（5分钟）观察校园植物；新授（25分钟）两地学生分组实验，远端课堂同步记录；练习（10分钟）。板书设计：原料—条件—产物。";

export function district(scale: number) {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  const SCHOOLS = n(2000);
  const PAIRINGS = Math.floor(SCHOOLS / 2);
  const TEACHERS_PER_SCHOOL = 9;
  const COUNTS = {
    regions: 10,
    schools: SCHOOLS,
    classroomsPerSchool: 5,
    pairings: PAIRINGS,
    plans: n(50_000),
    sessions: n(20_000),
    events: n(200_000),
    notifications: n(100_000),
  };

  /** School s (1-based) is in region s % 10; its teachers are users s, s + SCHOOLS, …; its admin is user 9·SCHOOLS + s. */
  const teacherOf = (school: string, k: string) => `(${school} + ${SCHOOLS} * ((${k}) % ${TEACHERS_PER_SCHOOL}))`;
  /** Pairing p joins school p and school SCHOOLS/2 + (p % (SCHOOLS/2)) + 1, always of another region. */
  const schoolA = (p: string) => `(${p})`;
  const schoolB = (p: string) => `(${PAIRINGS} + ((${p}) % ${PAIRINGS}) + 1)`;
  const ADMINS_FROM = SCHOOLS * TEACHERS_PER_SCHOOL;
  const COORDINATORS_FROM = ADMINS_FROM + SCHOOLS;

  async function load(handle: DbHandle, log: (line: string) => void = () => {}) {
    const users = COORDINATORS_FROM + 2 * COUNTS.regions;
    const steps: [string, string][] = [
      [
        "regions",
        `insert into public.regions (id, code, name_zh) select ${id("a1", "g")}, 'region-' || g, '区县' || g from generate_series(1, ${COUNTS.regions}) g`,
      ],
      [
        "schools",
        `insert into public.schools (id, region_id, name_zh, stage)
         select ${id("a2", "g")}, ${id("a1", `(g % ${COUNTS.regions}) + 1`)}, '学校' || g, (array['primary', 'middle', 'high', 'vocational'])[1 + g % 4]
         from generate_series(1, ${SCHOOLS}) g`,
      ],
      [
        "classrooms",
        `insert into public.classrooms (id, school_id, name, grade)
         select ${id("a3", `(s - 1) * ${COUNTS.classroomsPerSchool} + k`)}, ${id("a2", "s")}, k || '班', (1 + k)::text
         from generate_series(1, ${SCHOOLS}) s, generate_series(1, ${COUNTS.classroomsPerSchool}) k`,
      ],
      [
        "people",
        `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
           raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
         select '00000000-0000-0000-0000-000000000000', ${id("a4", "g")}, 'authenticated', 'authenticated',
           'scale-' || g || '@example.test', '', now(), '{}', '{}', now(), now()
         from generate_series(1, ${users}) g;
         insert into public.profiles (id, display_name) select ${id("a4", "g")}, '老师' || g from generate_series(1, ${users}) g;
         insert into public.school_memberships (school_id, user_id, role)
         select ${id("a2", `((g - 1) % ${SCHOOLS}) + 1`)}, ${id("a4", "g")}, 'teacher' from generate_series(1, ${ADMINS_FROM}) g;
         insert into public.school_memberships (school_id, user_id, role)
         select ${id("a2", "s")}, ${id("a4", `${ADMINS_FROM} + s`)}, 'school_admin' from generate_series(1, ${SCHOOLS}) s;
         insert into public.coordinator_scopes (region_id, user_id)
         select ${id("a1", `((g - 1) % ${COUNTS.regions}) + 1`)}, ${id("a4", `${COORDINATORS_FROM} + g`)} from generate_series(1, ${2 * COUNTS.regions}) g`,
      ],
      [
        "pairings",
        // p % 10: 0–5 active, 6 paused, 7 ended, 8 proposed, 9 requested/declined/withdrawn.
        `insert into public.pairings (id, school_a_id, school_b_id, status, proposed_by, proposed_at, decided_at, started_at, ended_at)
         select ${id("b1", "p")}, ${id("a2", schoolA("p"))}, ${id("a2", schoolB("p"))}, st.status,
                ${id("a4", `${ADMINS_FROM} + ${schoolA("p")}`)}, now() - interval '400 days',
                case when st.status in ('requested', 'proposed') then null else now() - interval '380 days' end,
                case when st.status in ('active', 'paused', 'ended') then now() - interval '380 days' end,
                case when st.status = 'ended' then now() - interval '30 days' end
         from generate_series(1, ${PAIRINGS}) p
         cross join lateral (select case
           when p % 10 <= 5 then 'active' when p % 10 = 6 then 'paused' when p % 10 = 7 then 'ended' when p % 10 = 8 then 'proposed'
           else (array['requested', 'declined', 'withdrawn'])[1 + (p / 10) % 3] end as status) st`,
      ],
      [
        "lesson plans",
        `insert into public.lesson_plans (id, pairing_id, title, subject, grade, status, lead_author_id, created_by, created_at, updated_at)
         select ${id("b2", "g")}, ${id("b1", `((g - 1) % ${PAIRINGS}) + 1`)},
                case when g % 25 = 0 then '光合作用 第' || g || '课' else '同课异构 第' || g || '课' end,
                (array['chinese', 'math', 'science', 'english', 'tibetan'])[1 + g % 5], 1 + g % 12,
                (array['draft', 'in_review', 'final', 'archived'])[1 + (g / 7) % 4],
                ${id("a4", teacherOf(schoolA(`((g - 1) % ${PAIRINGS}) + 1`), `g / ${PAIRINGS}`))},
                ${id("a4", teacherOf(schoolA(`((g - 1) % ${PAIRINGS}) + 1`), `g / ${PAIRINGS}`))},
                now() - (g % 365) * interval '1 day', now() - (g % 300) * interval '1 day'
         from generate_series(1, ${COUNTS.plans}) g;
         insert into public.lesson_plan_coauthors (plan_id, user_id)
         select ${id("b2", "g")}, ${id("a4", teacherOf(schoolB(`((g - 1) % ${PAIRINGS}) + 1`), `g / ${PAIRINGS} + 1`))}
         from generate_series(1, ${COUNTS.plans}) g;
         insert into public.lesson_plan_documents (plan_id, state, content_json, content_text, state_hash, updated_at)
         select ${id("b2", "g")}, '\\x00'::bytea, '{"type":"doc","content":[]}'::jsonb,
                '第' || g || '号教案。' || repeat(${literal(PARAGRAPH)}, 3 + g % 4), md5(g::text), now() - (g % 200) * interval '1 day'
         from generate_series(1, ${COUNTS.plans}) g`,
      ],
      [
        "live sessions",
        // Spread over a year around today, ~one each hour of the school day; a tenth cancelled.
        `insert into public.live_sessions (id, pairing_id, title, main_classroom_id, main_teacher_id, starts_at, ends_at,
           status, cancel_reason, created_by)
         select ${id("b3", "g")}, ${id("b1", "p")}, '同步课堂 ' || g,
                ${id("a3", `(${schoolA("p")} - 1) * ${COUNTS.classroomsPerSchool} + 1 + g % ${COUNTS.classroomsPerSchool}`)},
                ${id("a4", teacherOf(schoolA("p"), "g"))}, t.starts, t.starts + interval '45 minutes',
                case when g % 10 = 0 then 'cancelled' when t.starts < now() then 'ended' else 'scheduled' end,
                case when g % 10 = 0 then 'other' end, ${id("a4", teacherOf(schoolA("p"), "g"))}
         from generate_series(1, ${COUNTS.sessions}) g
         cross join lateral (select ((g - 1) % ${PAIRINGS}) + 1 as p) pp
         cross join lateral (select date_trunc('hour', now()) + ((g * 7919) % (365 * 24) - 182 * 24) * interval '1 hour' as starts) t;
         insert into public.live_session_classrooms (session_id, classroom_id, teacher_id)
         select ${id("b3", "g")}, ${id("a3", `(${schoolB("p")} - 1) * ${COUNTS.classroomsPerSchool} + 1 + g % ${COUNTS.classroomsPerSchool}`)},
                ${id("a4", teacherOf(schoolB("p"), "g"))}
         from generate_series(1, ${COUNTS.sessions}) g cross join lateral (select ((g - 1) % ${PAIRINGS}) + 1 as p) pp;
         insert into public.live_session_headcounts (session_id, classroom_id, headcount, entered_by)
         select lc.session_id, lc.classroom_id, 30 + (hashtext(lc.session_id::text) & 15), lc.teacher_id
         from public.live_session_classrooms lc join public.live_sessions ls on ls.id = lc.session_id where ls.status = 'ended';
         insert into public.live_session_attendance (session_id, participant_sid, identity, user_id, role, joined_at, left_at)
         select ls.id, 'PA_' || ls.id, ls.main_teacher_id::text, ls.main_teacher_id, 'main', ls.starts_at, ls.ends_at
         from public.live_sessions ls where ls.status = 'ended'`,
      ],
      [
        "activity events",
        `insert into public.pairing_events (pairing_id, kind, actor_id, created_at)
         select ${id("b1", `((g - 1) % ${PAIRINGS}) + 1`)},
                (array['lesson_plan_created', 'lesson_plan_submitted', 'lesson_plan_finalized', 'live_session_scheduled',
                       'live_session_started', 'live_session_ended', 'observation_submitted', 'reflection_saved'])[1 + (g / ${PAIRINGS}) % 8],
                ${id("a4", teacherOf(schoolA(`((g - 1) % ${PAIRINGS}) + 1`), "g"))}, now() - (g % 365) * interval '1 day' - (g % 24) * interval '1 hour'
         from generate_series(1, ${COUNTS.events}) g`,
      ],
      [
        "notifications",
        `insert into public.notifications (user_id, kind, pairing_id, created_at, read_at)
         select ${id("a4", `((g - 1) % ${users}) + 1`)}, 'live_session_scheduled', ${id("b1", `((g - 1) % ${PAIRINGS}) + 1`)},
                now() - (g % 90) * interval '1 day', case when g % 3 = 0 then null else now() end
         from generate_series(1, ${COUNTS.notifications}) g`,
      ],
    ];
    await handle.exec("set session_replication_role = replica");
    for (const [label, script] of steps) {
      const started = performance.now();
      await handle.exec(script);
      log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    await handle.exec("set session_replication_role = origin; analyze");
  }

  return {
    counts: COUNTS,
    load,
    /** A teacher of pairing 1's first school, and a coordinator of that school's region. */
    teacher: { label: "teacher", id: uuidOf("a4", 1) } satisfies Persona,
    coordinator: { label: "coordinator", id: uuidOf("a4", COORDINATORS_FROM + 2) } satisfies Persona,
  };
}

function literal(text: string) {
  return `'${text.replace(/'/g, "''")}'`;
}

export interface Persona {
  label: string;
  id: string;
}

export type Work = (tx: Transaction, userId: string) => Promise<unknown>;

/**
 * Makes the transaction act for `persona`: with row-level security as withUserTransaction does
 * (role authenticated and their claims), or without it as the owner with the same claims.
 */
export function actAs(tx: Transaction, persona: Persona, { rls }: { rls: boolean }) {
  const claims = JSON.stringify(claimsFor(persona.id, `${persona.label}@example.test`));
  return tx.execute(
    rls
      ? sql`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`
      : sql`select set_config('request.jwt.claims', ${claims}, true)`,
  );
}

/** The pairing the pages open: pairing 1, active, of school 1 (the teacher's) and a school of another region. */
export const PAIRING = uuidOf("b1", 1);
/** What each page's loader reads, through the app's own query functions. */
export const pages: { page: string; work: Work }[] = [
  {
    page: "home",
    work: async (tx, userId) => {
      await getMyRoles(tx, userId);
      await listSessions(tx, { from: new Date(), limit: 5, includeCancelled: false });
      await unreadNotificationCount(tx, userId);
    },
  },
  {
    page: "week view /live",
    work: async (tx) => {
      const monday = new Date();
      monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
      monday.setUTCHours(0, 0, 0, 0);
      await listSessions(tx, { from: monday, to: new Date(monday.getTime() + 7 * 86_400_000) });
      await hasCalendarFeed(tx);
    },
  },
  {
    page: "pairing workspace",
    work: async (tx, userId) => {
      const pairing = await getPairing(tx, PAIRING);
      if (!pairing) throw new Error("the bench pairing is not readable");
      await myStanding(
        tx,
        userId,
        { a: pairing.schoolA.id, b: pairing.schoolB.id },
        { a: pairing.schoolA.region.id, b: pairing.schoolB.region.id },
      );
      await listPlans(tx, PAIRING, {}, { limit: 5 });
      await listSessions(tx, { from: new Date(), pairingId: PAIRING, limit: 5 });
      const { older } = await listPairingEvents(tx, PAIRING);
      await listPairingEvents(tx, PAIRING, { before: older });
      await goalNotes(tx, PAIRING);
    },
  },
  {
    page: "plan list",
    work: async (tx) => {
      if (!(await getPairing(tx, PAIRING))) throw new Error("the bench pairing is not readable");
      const { older } = await listPlans(tx, PAIRING, {}, { limit: 20 });
      await listPlans(tx, PAIRING, {}, { limit: 20, before: older });
    },
  },
  {
    page: "plan list, search 光合作用",
    work: async (tx) => {
      if (!(await getPairing(tx, PAIRING))) throw new Error("the bench pairing is not readable");
      await listPlans(tx, PAIRING, { q: "光合作用" });
    },
  },
  {
    page: "/dashboard",
    work: async (tx) => {
      if (!(await canSeeDashboard(tx))) throw new Error("not a coordinator");
      await loadDashboard(tx, { term: termOf(new Date()), stage: null });
    },
  },
];

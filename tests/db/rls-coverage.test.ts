import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../support/db-suite";

const database = setupTestDatabase();

// Schemas Supabase does not expose through its API; every other schema is exposed or may be.
const UNEXPOSED = ["auth", "extensions", "private", "supabase_migrations", "information_schema"];

const PUBLIC_TABLES = [
  "classrooms",
  "coordinator_scopes",
  "lesson_plan_coauthors",
  "lesson_plan_documents",
  "lesson_plan_versions",
  "lesson_plans",
  "calendar_feeds",
  "live_session_attendance",
  "live_session_changes",
  "live_session_classrooms",
  "live_session_headcounts",
  "live_session_messages",
  "live_session_observations",
  "live_session_reflections",
  "live_sessions",
  "notifications",
  "pairing_events",
  "pairing_goals",
  "pairings",
  "platform_admins",
  "profiles",
  "regions",
  "school_memberships",
  "schools",
];

const HELPERS = [
  "authored_lesson_plan_ids()",
  "can_manage_live_session(target_session_id uuid)",
  "can_manage_school(target_school_id uuid)",
  "can_read_live_session(target_session_id uuid)",
  "can_read_pairing_classrooms(target_school_id uuid)",
  "can_see_person(target_user_id uuid)",
  "can_see_profile(target_user_id uuid)",
  "coordinated_school_ids()",
  "coordinates_region(target_region_id uuid)",
  "coordinates_school(target_school_id uuid)",
  "followed_pairing_ids()",
  "is_in_open_pairing_school(target_user_id uuid)",
  "is_platform_admin()",
  "is_school_admin(target_school_id uuid)",
  "is_school_member(target_school_id uuid)",
  "lesson_plan_access(target_plan_id uuid)",
  "live_session_role(target_session_id uuid)",
  "live_session_seat(target_session_id uuid)",
  "my_school_ids()",
  "open_pairing_school_ids()",
  "pairing_classroom_school_ids()",
  "readable_pairing_ids()",
  "taught_live_session_ids()",
];

// Private functions only the security definer functions call (they run as the owner):
// nobody else may call them, so no signed-in user can ask about other people or announce.
const INTERNAL = [
  "announce_lesson_plan_access(payload jsonb)",
  "check_lesson_plan_authors(target_pairing_id uuid, lead uuid, coauthors uuid[])",
  "check_live_session_times(classroom_ids uuid[], teacher_ids uuid[], starts timestamp with time zone[], ends timestamp with time zone[], except_session uuid)",
  "is_pairing_member(target_pairing_id uuid, target_user_id uuid)",
  "live_session_clash(classroom_ids uuid[], teacher_ids uuid[], starts timestamp with time zone, ends timestamp with time zone, except_session uuid)",
  "live_session_role_of(target_session_id uuid, target_user_id uuid)",
  "live_session_seat_of(target_session_id uuid, target_user_id uuid)",
  "lock_bookings(ids uuid[])",
  "notify_session_teachers(target_session_id uuid, kind text, data jsonb)",
  "valid_observation_rubric(rubric jsonb)",
];

const query = <T>(text: string, params: unknown[] = []) => database.handle.query<T>(text, params);

describe("row-level security coverage", () => {
  it("every table in an exposed schema has row-level security on", async () => {
    const tables = await query<{ name: string; rls: boolean }>(
      `select n.nspname || '.' || c.relname as name, c.relrowsecurity as rls
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p') and n.nspname <> all ($1) and n.nspname !~ '^pg_'
       order by 1`,
      [UNEXPOSED],
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(PUBLIC_TABLES.map((t) => `public.${t}`)));
    expect(tables.filter((t) => !t.rls).map((t) => t.name)).toEqual([]);
  });

  it("every table in public has a policy, and every policy is for signed-in or anonymous users", async () => {
    const withoutPolicy = await query<{ name: string }>(
      `select c.relname as name from pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
         and not exists (select 1 from pg_policy p where p.polrelid = c.oid)`,
    );
    expect(withoutPolicy).toEqual([]);
    const policies = await query<{ name: string; roles: string }>(
      `select tablename || ': ' || policyname as name, array_to_string(roles, ',') as roles
       from pg_policies where schemaname = 'public'`,
    );
    expect(policies.length).toBeGreaterThanOrEqual(PUBLIC_TABLES.length);
    expect(policies.filter((p) => !/^(authenticated|anon)$/.test(p.roles))).toEqual([]);
  });

  it("policies read auth.uid() once per statement and never read user metadata", async () => {
    const policies = await query<{ name: string; text: string }>(
      `select tablename || ': ' || policyname as name, coalesce(qual, '') || ' ' || coalesce(with_check, '') as text
       from pg_policies where schemaname = 'public'`,
    );
    // pg_get_expr prints (select auth.uid()) as "( SELECT auth.uid() AS uid)".
    const barePerRow = policies.filter((p) => /auth\.uid\(\)/.test(p.text.replace(/\(\s*SELECT auth\.uid\(\) AS uid\)/g, "")));
    expect(barePerRow.map((p) => p.name)).toEqual([]);
    expect(policies.filter((p) => /user_metadata|raw_user_meta_data/.test(p.text)).map((p) => p.name)).toEqual([]);
  });

  it("anon has no privilege on any public table, and authenticated cannot truncate or alter them", async () => {
    const granted = await query<{ name: string; role: string; privilege: string }>(
      `select c.relname as name, r.role, p.privilege
       from pg_class c
       cross join unnest(array['anon', 'authenticated']) as r(role)
       cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) as p(privilege)
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
         and has_table_privilege(r.role, c.oid, p.privilege)
         and (r.role = 'anon' or p.privilege in ('TRUNCATE', 'REFERENCES', 'TRIGGER'))`,
    );
    expect(granted).toEqual([]);
  });
});

describe("private helper functions", () => {
  const functions = () =>
    query<{ signature: string; definer: boolean; config: string[] | null; trigger: boolean; anon: boolean; authenticated: boolean }>(
      `select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as signature,
              p.prosecdef as definer, p.proconfig as config, p.prorettype = 'trigger'::regtype as trigger,
              has_function_privilege('anon', p.oid, 'execute') as anon,
              has_function_privilege('authenticated', p.oid, 'execute') as authenticated
       from pg_proc p where p.pronamespace = 'private'::regnamespace order by 1`,
    );

  it("the policy helpers are security definer, with an empty search_path, callable by authenticated only", async () => {
    const all = (await functions()).filter((f) => !f.trigger);
    expect(all.map((f) => f.signature)).toEqual([...HELPERS, ...INTERNAL].sort());
    const helpers = all.filter((f) => HELPERS.includes(f.signature));
    for (const helper of helpers) {
      expect(helper, helper.signature).toMatchObject({
        definer: true,
        config: ['search_path=""'],
        anon: false,
        authenticated: true,
      });
    }
  });

  it("the functions the definer functions use have an empty search_path and nobody else may call them", async () => {
    const internal = (await functions()).filter((f) => INTERNAL.includes(f.signature));
    expect(internal.map((f) => f.signature)).toEqual(INTERNAL);
    for (const fn of internal) {
      expect(fn, fn.signature).toMatchObject({ config: ['search_path=""'], anon: false, authenticated: false });
    }
  });

  it("the trigger functions have an empty search_path and nobody may call them", async () => {
    const triggers = (await functions()).filter((f) => f.trigger);
    expect(triggers.map((f) => f.signature)).toEqual([
      "announce_pairing_status_change()",
      "announce_role_removed()",
      "guard_pairing_detail_write()",
      "guard_pairing_write()",
      "handle_new_user()",
      "notify_lesson_plan_coauthor_added()",
      "notify_membership_added()",
      "refuse_lesson_plan_version_change()",
      "refuse_live_session_change_row()",
      "refuse_pairing_event_change()",
      "set_updated_at()",
    ]);
    for (const trigger of triggers) {
      expect(trigger, trigger.signature).toMatchObject({ config: ['search_path=""'], anon: false, authenticated: false });
    }
  });

  it("anon cannot even look into the private schema", async () => {
    const [usage] = await query<{ anon: boolean; authenticated: boolean }>(
      `select has_schema_privilege('anon', 'private', 'usage') as anon,
              has_schema_privilege('authenticated', 'private', 'usage') as authenticated`,
    );
    expect(usage).toEqual({ anon: false, authenticated: true });
  });
});

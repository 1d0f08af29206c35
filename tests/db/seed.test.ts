import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrate } from "../../app/db/migrate.server";
import { classrooms, profiles } from "../../app/db/schema";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { setupTestDatabase } from "../support/db-suite";
import { claimsFor } from "../support/factories";

const database = setupTestDatabase({ seed: true });
const query = <T>(text: string, params: unknown[] = []) => database.handle.query<T>(text, params);

// The fixed ids other tests, docs and demos may link to.
const DEMO_ACCOUNTS = {
  "admin@example.com": "30000000-0000-4000-8000-000000000001",
  "coordinator.hechuan@example.com": "30000000-0000-4000-8000-000000000002",
  "coordinator.leiwuqi@example.com": "30000000-0000-4000-8000-000000000003",
  "principal.hechuan@example.com": "30000000-0000-4000-8000-000000000004",
  "teacher.hechuan@example.com": "30000000-0000-4000-8000-000000000005",
  "teacher.leiwuqi@example.com": "30000000-0000-4000-8000-000000000006",
};
const HECHUAN = "10000000-0000-4000-8000-000000000001";
const LEIWUQI = "10000000-0000-4000-8000-000000000002";
const NANPING = "20000000-0000-4000-8000-000000000101";
const LEIWUQI_NO_1 = "20000000-0000-4000-8000-000000000201";

describe("the demo seed", () => {
  it("has the two regions and the six demo accounts with their roles", async () => {
    expect(await query("select id, code, name_zh, name_bo, province_zh from public.regions order by code")).toEqual([
      { id: HECHUAN, code: "hechuan", name_zh: "合川区", name_bo: "ཧོ་ཁྲོན་ཆུས།", province_zh: "重庆市" },
      { id: LEIWUQI, code: "leiwuqi", name_zh: "类乌齐县", name_bo: "རི་བོ་ཆེ་རྫོང་།", province_zh: "西藏自治区昌都市" },
    ]);
    const accounts = await query<{ email: string; id: string }>("select email, id from auth.users where email = any($1) order by email", [
      Object.keys(DEMO_ACCOUNTS),
    ]);
    expect(Object.fromEntries(accounts.map((a) => [a.email, a.id]))).toEqual(DEMO_ACCOUNTS);

    const roles = await query<{ email: string; role: string }>(
      `select u.email, 'platform_admin' as role from public.platform_admins p join auth.users u on u.id = p.user_id
       union all
       select u.email, 'coordinator of ' || r.code from public.coordinator_scopes c
         join auth.users u on u.id = c.user_id join public.regions r on r.id = c.region_id
       union all
       select u.email, m.role || ' at ' || s.name_zh from public.school_memberships m
         join auth.users u on u.id = m.user_id join public.schools s on s.id = m.school_id
       order by 1, 2`,
    );
    const demoRoles = roles.filter((r) => r.email in DEMO_ACCOUNTS).map((r) => `${r.email}: ${r.role}`);
    expect(demoRoles).toEqual([
      "admin@example.com: platform_admin",
      "coordinator.hechuan@example.com: coordinator of hechuan",
      "coordinator.leiwuqi@example.com: coordinator of leiwuqi",
      "principal.hechuan@example.com: school_admin at 重庆市合川区南屏小学",
      "teacher.hechuan@example.com: teacher at 重庆市合川区南屏小学",
      "teacher.leiwuqi@example.com: teacher at 类乌齐县第一小学",
    ]);
    // The demo schools have colleagues to show.
    const colleagues = await query<{ school_id: string; count: number }>(
      "select school_id, count(*)::int as count from public.school_memberships group by school_id order by school_id",
    );
    expect(colleagues.filter((c) => c.count >= 3).map((c) => c.school_id)).toEqual([NANPING, LEIWUQI_NO_1]);
  });

  it("every demo account signs in with tongke-demo, as Supabase Auth reads the rows", async () => {
    const users = await query<Record<string, unknown>>(
      `select u.email, u.encrypted_password = extensions.crypt('tongke-demo', u.encrypted_password) as password_ok,
              u.encrypted_password = extensions.crypt('tongke-demo ', u.encrypted_password) as wrong_password_ok,
              u.encrypted_password like '$2_$10$%' as bcrypt_10,
              u.instance_id::text, u.aud, u.role, u.email_confirmed_at is not null as confirmed,
              u.raw_app_meta_data, u.confirmation_token, u.recovery_token, u.email_change_token_new, u.email_change,
              i.provider, i.provider_id = u.id::text as provider_id_ok, i.identity_data
       from auth.users u join auth.identities i on i.user_id = u.id
       where u.email like '%@example.com' order by u.email`,
    );
    expect(users.length).toBeGreaterThan(Object.keys(DEMO_ACCOUNTS).length);
    for (const user of users) {
      expect(user, String(user.email)).toEqual({
        email: user.email,
        password_ok: true,
        wrong_password_ok: false,
        bcrypt_10: true,
        instance_id: "00000000-0000-0000-0000-000000000000",
        aud: "authenticated",
        role: "authenticated",
        confirmed: true,
        raw_app_meta_data: { provider: "email", providers: ["email"] },
        confirmation_token: "",
        recovery_token: "",
        email_change_token_new: "",
        email_change: "",
        provider: "email",
        provider_id_ok: true,
        identity_data: { sub: expect.any(String), email: user.email, email_verified: true },
      });
    }
  });

  it("gives the demo teachers their names and languages", async () => {
    const teacher = DEMO_ACCOUNTS["teacher.leiwuqi@example.com"];
    const seen = await withUserTransaction(database.handle.db, claimsFor(teacher, "teacher.leiwuqi@example.com"), (tx) =>
      tx.select({ displayName: profiles.displayName, language: profiles.preferredLanguage }).from(profiles).where(eq(profiles.id, teacher)),
    );
    expect(seen).toEqual([{ displayName: "扎西卓玛", language: "bo" }]);
    const [hechuan] = await query("select display_name, preferred_language from public.profiles where id = $1", [
      DEMO_ACCOUNTS["teacher.hechuan@example.com"],
    ]);
    expect(hechuan).toEqual({ display_name: "王丽", preferred_language: "zh-CN" });
  });

  it("has at least six schools of mixed stages in each region, Leiwuqi's all named in Tibetan", async () => {
    const schools = await query<{ region_id: string; name_bo: string | null; name_en: string | null; stage: string }>(
      "select region_id, name_bo, name_en, stage from public.schools",
    );
    for (const region of [HECHUAN, LEIWUQI]) {
      const ofRegion = schools.filter((s) => s.region_id === region);
      expect(ofRegion.length).toBeGreaterThanOrEqual(6);
      expect(ofRegion.every((s) => s.name_en)).toBe(true);
      expect(new Set(ofRegion.map((s) => s.stage)).size).toBeGreaterThanOrEqual(2);
    }
    const leiwuqi = schools.filter((s) => s.region_id === LEIWUQI);
    expect(leiwuqi.filter((s) => !/^[\u0F00-\u0FFF]+$/.test(s.name_bo ?? "")).map((s) => s.name_bo)).toEqual([]);
  });

  it("gives every school one to three classrooms, and the demo teacher sees their school's", async () => {
    const counts = await query<{ count: number }>(
      "select count(c.id)::int as count from public.schools s left join public.classrooms c on c.school_id = s.id group by s.id",
    );
    expect(counts.filter((c) => c.count < 1 || c.count > 3)).toEqual([]);
    const teacher = DEMO_ACCOUNTS["teacher.hechuan@example.com"];
    const rooms = await withUserTransaction(database.handle.db, claimsFor(teacher, "teacher.hechuan@example.com"), (tx) =>
      tx.select({ schoolId: classrooms.schoolId, name: classrooms.name }).from(classrooms),
    );
    expect(rooms.map((r) => r.schoolId)).toEqual([NANPING, NANPING, NANPING]);
    expect(rooms.map((r) => r.name)).toContain("三年级二班");
  });

  it("running migrate again applies nothing and does not seed twice", async () => {
    const count = async () =>
      (
        await query<{ users: number; schools: number; classrooms: number }>(
          `select (select count(*)::int from auth.users) as users, (select count(*)::int from public.schools) as schools,
                (select count(*)::int from public.classrooms) as classrooms`,
        )
      )[0];
    const before = await count();
    const report = await migrate(database.handle, { seed: true });
    expect(report).toEqual({ bootstrapped: false, applied: [], seeded: false });
    expect(await count()).toEqual(before);
    expect(await query("select path from supabase_migrations.seed_files")).toEqual([{ path: "supabase/seed.sql" }]);
  });
});

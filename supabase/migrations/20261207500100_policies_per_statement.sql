-- Policies that cost the same at 34 schools and at 2,000 (issue 16).
--
-- The read policies of plans, live classes, classrooms and memberships called a
-- helper with the row's id (lesson_plan_access(id), can_read_live_session(id), …), and the
-- helper called helpers: about a millisecond per row, for every row a statement touched, seen
-- or not. Here the same rules are sets computed once per statement — what the user is a
-- member of, coordinates, teaches or authors — and each policy asks whether the row's key is
-- in them (`x in (select private.…())` is a hashed subplan, run once); the tables that
-- belong to a plan or a class ask whether the user can read the parent row. The rules do
-- not change; the per-row helpers stay for the code that asks about one row. Profiles keep
-- theirs: pages join only the few people they show, through the primary key, and a set of
-- every visible person (thousands for a coordinator) cost more than those lookups.

-- The schools the user belongs to.
create function private.my_school_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.school_id from public.school_memberships m where m.user_id = (select auth.uid())
$$;

-- The schools of the regions the user coordinates.
create function private.coordinated_school_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select s.id
  from public.coordinator_scopes c
  join public.schools s on s.region_id = c.region_id
  where c.user_id = (select auth.uid())
$$;

-- Pairings whose plans and classes the user may read whole: every pairing for a platform
-- admin, every pairing touching a coordinated region, and the active or paused pairings of
-- the user's schools (lesson_plan_access and can_read_live_session at the pairing level).
create function private.followed_pairing_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select p.id from public.pairings p where (select private.is_platform_admin())
  union
  select p.id
  from public.coordinator_scopes c
  join public.schools s on s.region_id = c.region_id
  join public.pairings p on s.id in (p.school_a_id, p.school_b_id)
  where c.user_id = (select auth.uid())
  union
  select p.id
  from public.school_memberships m
  join public.pairings p on m.school_id in (p.school_a_id, p.school_b_id)
  where m.user_id = (select auth.uid()) and p.status in ('active', 'paused')
$$;

-- Classes the user reads because they teach them, whatever the pairing's state: as main or
-- receiving teacher while a member of either school, or (the rooms they may join) in an
-- active pairing while a member of the classroom's school.
create function private.taught_live_session_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select ls.id
  from public.live_sessions ls
  join public.pairings p on p.id = ls.pairing_id
  join public.classrooms mc on mc.id = ls.main_classroom_id
  where ls.main_teacher_id = (select auth.uid())
    and (p.school_a_id in (select private.my_school_ids())
      or p.school_b_id in (select private.my_school_ids())
      or (p.status = 'active' and mc.school_id in (select private.my_school_ids())))
  union
  select lc.session_id
  from public.live_session_classrooms lc
  join public.classrooms c on c.id = lc.classroom_id
  join public.live_sessions ls on ls.id = lc.session_id
  join public.pairings p on p.id = ls.pairing_id
  where lc.teacher_id = (select auth.uid())
    and (p.school_a_id in (select private.my_school_ids())
      or p.school_b_id in (select private.my_school_ids())
      or (p.status = 'active' and c.school_id in (select private.my_school_ids())))
$$;

-- Plans the user reads as their lead or co-author while a member of either school, whatever
-- the pairing's state.
create function private.authored_lesson_plan_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select lp.id
  from public.lesson_plans lp
  join public.pairings p on p.id = lp.pairing_id
  where lp.lead_author_id = (select auth.uid())
    and (p.school_a_id in (select private.my_school_ids()) or p.school_b_id in (select private.my_school_ids()))
  union
  select c.plan_id
  from public.lesson_plan_coauthors c
  join public.lesson_plans lp on lp.id = c.plan_id
  join public.pairings p on p.id = lp.pairing_id
  where c.user_id = (select auth.uid())
    and (p.school_a_id in (select private.my_school_ids()) or p.school_b_id in (select private.my_school_ids()))
$$;

-- Both schools of the pairings whose classrooms the user may read (can_read_pairing_classrooms).
create function private.pairing_classroom_school_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select s.school_id
  from public.pairings p
  cross join lateral (values (p.school_a_id), (p.school_b_id)) as s (school_id)
  where (p.status in ('active', 'paused')
         and (p.school_a_id in (select private.my_school_ids()) or p.school_b_id in (select private.my_school_ids())))
     or (p.status in ('active', 'paused', 'ended')
         and (p.school_a_id in (select private.coordinated_school_ids()) or p.school_b_id in (select private.coordinated_school_ids())))
$$;

revoke all on function
  private.my_school_ids(),
  private.coordinated_school_ids(),
  private.followed_pairing_ids(),
  private.taught_live_session_ids(),
  private.authored_lesson_plan_ids(),
  private.pairing_classroom_school_ids()
from public, anon, authenticated;
grant execute on function
  private.my_school_ids(),
  private.coordinated_school_ids(),
  private.followed_pairing_ids(),
  private.taught_live_session_ids(),
  private.authored_lesson_plan_ids(),
  private.pairing_classroom_school_ids()
to authenticated;

alter policy "Authors, both schools and both coordinators can read the plan" on public.lesson_plans
  using (pairing_id in (select private.followed_pairing_ids()) or id in (select private.authored_lesson_plan_ids()));
-- The tables that belong to a plan or a class ask the parent's own policy, row by row through
-- its primary key (the parent's sets are still computed once): "whoever can read the plan".
alter policy "Whoever can read the plan can read its co-authors" on public.lesson_plan_coauthors
  using (exists (select 1 from public.lesson_plans lp where lp.id = plan_id));
alter policy "Whoever can read the plan can read its document" on public.lesson_plan_documents
  using (exists (select 1 from public.lesson_plans lp where lp.id = plan_id));
alter policy "Whoever can read the plan can read its versions" on public.lesson_plan_versions
  using (exists (select 1 from public.lesson_plans lp where lp.id = plan_id));

alter policy "Whoever may read the session can read it" on public.live_sessions
  using (pairing_id in (select private.followed_pairing_ids()) or id in (select private.taught_live_session_ids()));
alter policy "Whoever may read the session can read its attendance" on public.live_session_attendance
  using (exists (select 1 from public.live_sessions ls where ls.id = session_id));
alter policy "Whoever may read the session can read its reschedules and cance" on public.live_session_changes
  using (exists (select 1 from public.live_sessions ls where ls.id = session_id));
alter policy "Whoever may read the session can read its classrooms" on public.live_session_classrooms
  using (exists (select 1 from public.live_sessions ls where ls.id = session_id));
alter policy "Whoever may read the session can read its headcounts" on public.live_session_headcounts
  using (exists (select 1 from public.live_sessions ls where ls.id = session_id));
alter policy "Whoever may read the session can read its observations" on public.live_session_observations
  using (exists (select 1 from public.live_sessions ls where ls.id = session_id));
alter policy "Whoever may read the session can read its reflections" on public.live_session_reflections
  using (exists (select 1 from public.live_sessions ls where ls.id = session_id));

alter policy "A pairing's members and coordinators can read both schools' cla" on public.classrooms
  using (school_id in (select private.pairing_classroom_school_ids()));
alter policy "Members, coordinators and platform admins can read a school's c" on public.classrooms
  using (school_id in (select private.my_school_ids())
    or school_id in (select private.coordinated_school_ids())
    or (select private.is_platform_admin()));

alter policy "Members, coordinators and platform admins can read a school's m" on public.school_memberships
  using (user_id = (select auth.uid())
    or school_id in (select private.my_school_ids())
    or school_id in (select private.coordinated_school_ids())
    or (select private.is_platform_admin()));

-- can_see_person (previous migration) joined the person's memberships to every school to find
-- each school's region: the planner hashed the whole schools table on every call (2,000 rows,
-- about 0.4 ms a person at district scale). The region check is now a lookup by the school's
-- key, inside the branch that needs it. Same rules.

create or replace function private.can_see_person(target_user_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select target_user_id = (select auth.uid())
    or private.is_platform_admin()
    or exists (select 1 from public.coordinator_scopes c where c.user_id = target_user_id)
    or exists (
      select 1
      from public.school_memberships theirs
      where theirs.user_id = target_user_id
        and (
          -- a colleague
          exists (
            select 1 from public.school_memberships mine
            where mine.user_id = (select auth.uid()) and mine.school_id = theirs.school_id
          )
          -- in a coordinated region
          or exists (
            select 1
            from public.schools s
            join public.coordinator_scopes c on c.region_id = s.region_id
            where s.id = theirs.school_id and c.user_id = (select auth.uid())
          )
          -- in an open pairing the user can read: one of its schools is theirs or coordinated
          or exists (
            select 1
            from public.pairings p
            where theirs.school_id in (p.school_a_id, p.school_b_id)
              and p.status in ('proposed', 'active', 'paused')
              and (
                exists (
                  select 1 from public.school_memberships mine
                  where mine.user_id = (select auth.uid()) and mine.school_id in (p.school_a_id, p.school_b_id)
                )
                or exists (
                  select 1
                  from public.schools ps
                  join public.coordinator_scopes c on c.region_id = ps.region_id
                  where ps.id in (p.school_a_id, p.school_b_id) and c.user_id = (select auth.uid())
                )
              )
          )
        )
    )
$$;

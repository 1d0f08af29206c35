-- Who may read whose profile, at the cost of a few index lookups per person (issue 16).
--
-- Two policies decided it: can_see_profile(id) (self, platform admins, coordinators, the
-- people of the user's schools and of the schools of the regions they coordinate) and
-- is_in_open_pairing_school(id) (the people of both schools of an open pairing the user can
-- read). The second computed every pairing the user can read, once per person: about a
-- millisecond each for a coordinator, so a week view naming two hundred teachers spent most of
-- its time here. The rules do not change; one function now starts from the person's own
-- schools (one or two rows) and asks of each whether the user is a member, coordinates its
-- region, or can read an open pairing it is part of — index lookups, whatever the district's
-- size. Pages join only the people they show, so a set of everyone visible (thousands for a
-- coordinator) would cost more than these lookups.

create function private.can_see_person(target_user_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select target_user_id = (select auth.uid())
    or private.is_platform_admin()
    or exists (select 1 from public.coordinator_scopes c where c.user_id = target_user_id)
    or exists (
      select 1
      from public.school_memberships theirs
      join public.schools s on s.id = theirs.school_id
      where theirs.user_id = target_user_id
        and (
          -- a colleague
          exists (
            select 1 from public.school_memberships mine
            where mine.user_id = (select auth.uid()) and mine.school_id = theirs.school_id
          )
          -- in a coordinated region
          or exists (
            select 1 from public.coordinator_scopes c
            where c.user_id = (select auth.uid()) and c.region_id = s.region_id
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
                  from public.coordinator_scopes c
                  join public.schools ps on ps.region_id = c.region_id
                  where c.user_id = (select auth.uid()) and ps.id in (p.school_a_id, p.school_b_id)
                )
              )
          )
        )
    )
$$;

revoke all on function private.can_see_person(uuid) from public, anon;
grant execute on function private.can_see_person(uuid) to authenticated;

drop policy "Users can read the profiles of people they work with" on public.profiles;
drop policy "People of an open pairing can read the profiles of both schools' members" on public.profiles;

create policy "Users can read the profiles of people they work with or are paired with"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()) or (select private.is_platform_admin()) or private.can_see_person(id));

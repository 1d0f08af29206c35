-- The pairing workspace shows both schools side by side with their teachers: whoever can
-- read an open pairing (proposed, active or paused) — its schools' members and both
-- regions' coordinators — sees the members of both schools. Ended, declined and withdrawn
-- pairings stay readable but no longer open the partner school's people.

create function private.open_pairing_school_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select s.school_id
  from public.pairings p
  cross join lateral (values (p.school_a_id), (p.school_b_id)) as s (school_id)
  where p.status in ('proposed', 'active', 'paused')
    and p.id in (select private.readable_pairing_ids())
$$;

create function private.is_in_open_pairing_school(target_user_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.school_memberships m
    where m.user_id = target_user_id and m.school_id in (select private.open_pairing_school_ids())
  )
$$;

revoke all on function private.open_pairing_school_ids(), private.is_in_open_pairing_school(uuid) from public, anon;
grant execute on function private.open_pairing_school_ids(), private.is_in_open_pairing_school(uuid) to authenticated;

create policy "People of an open pairing can read both schools' memberships"
  on public.school_memberships for select to authenticated
  using (school_id in (select private.open_pairing_school_ids()));

create policy "People of an open pairing can read the profiles of both schools' members"
  on public.profiles for select to authenticated
  using (private.is_in_open_pairing_school(id));

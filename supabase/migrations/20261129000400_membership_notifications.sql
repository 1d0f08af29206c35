-- People hear in the portal when someone adds them to a school (an invitation accepted
-- later, or an existing account added at once). Written by a trigger, so no path that adds
-- a member can forget it; system work (the seed, no signed-in user) notifies nobody.

alter table public.notifications drop constraint notifications_kind_check;
alter table public.notifications add constraint notifications_kind_check check (kind in (
  'pairing_proposed', 'pairing_requested', 'pairing_accepted', 'pairing_declined',
  'pairing_withdrawn', 'pairing_paused', 'pairing_resumed', 'pairing_ended',
  'school_membership_added'
));

create function private.notify_membership_added() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
begin
  if actor is not null and new.user_id <> actor then
    insert into public.notifications (user_id, kind, data)
    values (new.user_id, 'school_membership_added',
            jsonb_build_object('school_id', new.school_id, 'role', new.role, 'added_by', actor));
  end if;
  return new;
end
$$;

revoke all on function private.notify_membership_added() from public, anon, authenticated;

create trigger notify_membership_added
  after insert on public.school_memberships
  for each row execute function private.notify_membership_added();

-- A teacher made co-author of a lesson plan is told so: a notification naming the plan, when
-- the plan is created with them or when they are added later (not again while they stay one,
-- nor to whoever added them, nor for system work such as the seed).
alter table public.notifications drop constraint notifications_kind_check;
alter table public.notifications add constraint notifications_kind_check check (kind in (
  'pairing_proposed', 'pairing_requested', 'pairing_accepted', 'pairing_declined',
  'pairing_withdrawn', 'pairing_paused', 'pairing_resumed', 'pairing_ended',
  'school_membership_added',
  'live_session_scheduled', 'live_session_rescheduled', 'live_session_cancelled',
  'lesson_plan_coauthor_added'
));

create function private.notify_lesson_plan_coauthor_added() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  plan record;
begin
  if actor is null or new.user_id = actor then
    return new;
  end if;
  select p.id, p.title, p.pairing_id into plan from public.lesson_plans p where p.id = new.plan_id;
  insert into public.notifications (user_id, kind, pairing_id, data)
  values (new.user_id, 'lesson_plan_coauthor_added', plan.pairing_id,
          jsonb_build_object('plan_id', plan.id, 'title', plan.title, 'added_by', actor));
  return new;
end
$$;

revoke all on function private.notify_lesson_plan_coauthor_added() from public, anon, authenticated;

create trigger notify_lesson_plan_coauthor_added
  after insert on public.lesson_plan_coauthors
  for each row execute function private.notify_lesson_plan_coauthor_added();

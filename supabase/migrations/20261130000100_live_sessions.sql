-- Live "same class" sessions (同步课堂) of a pairing: the schedule, the classrooms taking
-- part, reschedules and cancellations with their reasons, attendance from the video
-- server's webhooks, and what comes after the class — headcounts (numbers only, never a
-- student's name), observations (听评课) and reflections — plus the class chat and each
-- user's secret calendar feed.
--
-- As with plans, authenticated reads through policies and writes through the security
-- definer functions below (the chat and one's own calendar feed excepted), which check the
-- caller and write the row and its activity event together. Attendance and the live/ended
-- status are written by system work, from verified LiveKit webhooks only.
--
-- Who is who in a session (private.live_session_role_of):
--   main       the main (主讲) teacher, while a member of the main classroom's school;
--   receiving  the teacher (助学教师) of a receiving (接收) classroom, while a member of
--              that classroom's school;
--   observer   the other teachers and school admins of both schools, the coordinators of
--              both regions and platform admins.
-- Main, receiving and member observers need the pairing to be active to join; coordinators
-- and platform admins may observe regardless. Reading a session: anyone with a role,
-- members of both schools while the pairing is paused too, and the class's own teachers
-- while they belong to one of the schools. The class's teachers are notified when it is
-- scheduled, moved or cancelled.
--
-- Errors (app/live/errors.ts names them): 42501 not allowed (also: no such session), TK422
-- illegal for the session's or pairing's state, TK423 a classroom or teacher is already
-- booked (detail: json with the clash), TK425 bad input, 23514 a value a check refuses.

create table public.live_sessions (
  id uuid primary key default gen_random_uuid(),
  pairing_id uuid not null
    constraint live_sessions_pairing_id_pairings_id_fk references public.pairings (id) on delete no action,
  -- Sessions scheduled together as a weekly recurrence share a series.
  series_id uuid,
  title text not null
    constraint live_sessions_title_check check (char_length(btrim(title, E' \t\n\r\u00a0\u3000')) between 1 and 200),
  lesson_plan_id uuid
    constraint live_sessions_lesson_plan_id_lesson_plans_id_fk references public.lesson_plans (id) on delete set null,
  main_classroom_id uuid not null
    constraint live_sessions_main_classroom_id_classrooms_id_fk references public.classrooms (id) on delete no action,
  main_teacher_id uuid not null
    constraint live_sessions_main_teacher_id_profiles_id_fk references public.profiles (id) on delete no action,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'scheduled'
    constraint live_sessions_status_check check (status in ('scheduled', 'live', 'ended', 'cancelled')),
  cancel_reason text
    constraint live_sessions_cancel_reason_check check (cancel_reason in ('network', 'weather', 'exams', 'other')),
  -- How many times it was rescheduled: the calendar's SEQUENCE.
  sequence integer not null default 0,
  started_at timestamptz,
  ended_at timestamptz,
  created_by uuid not null
    constraint live_sessions_created_by_profiles_id_fk references public.profiles (id) on delete no action,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint live_sessions_time_check check (ends_at > starts_at and ends_at - starts_at <= interval '4 hours'),
  constraint live_sessions_cancelled_check check ((status = 'cancelled') = (cancel_reason is not null))
);
create index live_sessions_pairing_id_starts_at_idx on public.live_sessions (pairing_id, starts_at);
create index live_sessions_main_teacher_id_starts_at_idx on public.live_sessions (main_teacher_id, starts_at);
create index live_sessions_main_classroom_id_starts_at_idx on public.live_sessions (main_classroom_id, starts_at);
create index live_sessions_lesson_plan_id_idx on public.live_sessions (lesson_plan_id) where lesson_plan_id is not null;

create table public.live_session_classrooms (
  session_id uuid not null
    constraint live_session_classrooms_session_id_live_sessions_id_fk references public.live_sessions (id) on delete cascade,
  classroom_id uuid not null
    constraint live_session_classrooms_classroom_id_classrooms_id_fk references public.classrooms (id) on delete no action,
  -- The receiving classroom's own teacher (助学教师), whose account the classroom joins with.
  teacher_id uuid not null
    constraint live_session_classrooms_teacher_id_profiles_id_fk references public.profiles (id) on delete no action,
  constraint live_session_classrooms_pkey primary key (session_id, classroom_id)
);
create index live_session_classrooms_classroom_id_idx on public.live_session_classrooms (classroom_id);
create index live_session_classrooms_teacher_id_idx on public.live_session_classrooms (teacher_id);

-- Reschedules and cancellations, with the reason code: kept and counted.
create table public.live_session_changes (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null
    constraint live_session_changes_session_id_live_sessions_id_fk references public.live_sessions (id) on delete cascade,
  kind text not null
    constraint live_session_changes_kind_check check (kind in ('rescheduled', 'cancelled')),
  reason text not null
    constraint live_session_changes_reason_check check (reason in ('network', 'weather', 'exams', 'other')),
  note text
    constraint live_session_changes_note_check check (char_length(note) <= 500),
  previous_starts_at timestamptz not null,
  previous_ends_at timestamptz not null,
  starts_at timestamptz,
  ends_at timestamptz,
  actor_id uuid not null
    constraint live_session_changes_actor_id_profiles_id_fk references public.profiles (id) on delete no action,
  created_at timestamptz not null default now()
);
create index live_session_changes_session_id_idx on public.live_session_changes (session_id, created_at);

-- One row per LiveKit participant connection (a rejoin is a new row), from the webhooks.
create table public.live_session_attendance (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null
    constraint live_session_attendance_session_id_live_sessions_id_fk references public.live_sessions (id) on delete cascade,
  participant_sid text not null,
  identity text not null,
  user_id uuid
    constraint live_session_attendance_user_id_profiles_id_fk references public.profiles (id) on delete set null,
  role text
    constraint live_session_attendance_role_check check (role in ('main', 'receiving', 'observer')),
  school_id uuid
    constraint live_session_attendance_school_id_schools_id_fk references public.schools (id) on delete set null,
  classroom_id uuid
    constraint live_session_attendance_classroom_id_classrooms_id_fk references public.classrooms (id) on delete set null,
  joined_at timestamptz not null,
  left_at timestamptz,
  constraint live_session_attendance_session_id_participant_sid_unique unique (session_id, participant_sid),
  constraint live_session_attendance_left_check check (left_at is null or left_at >= joined_at)
);

-- Webhook deliveries already applied: LiveKit retries with the same event id. System work
-- only, so it lives outside the exposed schemas.
create table private.livekit_webhook_events (
  id text primary key,
  kind text not null,
  room_name text,
  received_at timestamptz not null default now()
);
-- The webhook handler's door is service_role (app/db/system.server.ts): it records deliveries
-- here and asks private.live_session_role_of who a participant is — nothing else in private.
grant usage on schema private to service_role;
grant select, insert on table private.livekit_webhook_events to service_role;

-- After the class. Headcounts are numbers only: no student is named anywhere.
create table public.live_session_headcounts (
  session_id uuid not null
    constraint live_session_headcounts_session_id_live_sessions_id_fk references public.live_sessions (id) on delete cascade,
  classroom_id uuid not null
    constraint live_session_headcounts_classroom_id_classrooms_id_fk references public.classrooms (id) on delete no action,
  headcount integer not null
    constraint live_session_headcounts_headcount_check check (headcount between 0 and 200),
  entered_by uuid not null
    constraint live_session_headcounts_entered_by_profiles_id_fk references public.profiles (id) on delete no action,
  entered_at timestamptz not null default now(),
  constraint live_session_headcounts_pkey primary key (session_id, classroom_id)
);

-- 听评课: a rubric (each criterion scored 1–5) and notes, one per observer and session.
create table public.live_session_observations (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null
    constraint live_session_observations_session_id_live_sessions_id_fk references public.live_sessions (id) on delete cascade,
  observer_id uuid not null
    constraint live_session_observations_observer_id_profiles_id_fk references public.profiles (id) on delete no action,
  rubric jsonb not null,
  notes text not null default ''
    constraint live_session_observations_notes_check check (char_length(notes) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint live_session_observations_session_id_observer_id_unique unique (session_id, observer_id)
);

-- The main and receiving teachers' reflections, linked to the session's lesson plan.
create table public.live_session_reflections (
  session_id uuid not null
    constraint live_session_reflections_session_id_live_sessions_id_fk references public.live_sessions (id) on delete cascade,
  author_id uuid not null
    constraint live_session_reflections_author_id_profiles_id_fk references public.profiles (id) on delete no action,
  lesson_plan_id uuid
    constraint live_session_reflections_lesson_plan_id_lesson_plans_id_fk references public.lesson_plans (id) on delete set null,
  body text not null
    constraint live_session_reflections_body_check check (char_length(btrim(body, E' \t\n\r\u00a0\u3000')) between 1 and 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint live_session_reflections_pkey primary key (session_id, author_id)
);
create index live_session_reflections_lesson_plan_id_idx on public.live_session_reflections (lesson_plan_id)
  where lesson_plan_id is not null;

-- The class chat, kept on our server so its history survives a video server that is down.
create table public.live_session_messages (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null
    constraint live_session_messages_session_id_live_sessions_id_fk references public.live_sessions (id) on delete cascade,
  author_id uuid not null default auth.uid()
    constraint live_session_messages_author_id_profiles_id_fk references public.profiles (id) on delete no action,
  body text not null
    constraint live_session_messages_body_check check (char_length(btrim(body, E' \t\n\r\u00a0\u3000')) between 1 and 1000),
  created_at timestamptz not null default now()
);
create index live_session_messages_session_id_created_at_idx on public.live_session_messages (session_id, created_at);

-- A user's calendar feed: the secret URL's token, stored only as its sha256.
create table public.calendar_feeds (
  user_id uuid primary key default auth.uid()
    constraint calendar_feeds_user_id_profiles_id_fk references public.profiles (id) on delete cascade,
  token_hash text not null
    constraint calendar_feeds_token_hash_check check (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  constraint calendar_feeds_token_hash_unique unique (token_hash)
);

alter table public.pairing_events drop constraint pairing_events_kind_check;
alter table public.pairing_events add constraint pairing_events_kind_check check (kind in (
  'requested', 'proposed', 'forwarded', 'accepted', 'declined', 'withdrawn',
  'paused', 'resumed', 'ended', 'goals_updated',
  'lesson_plan_created', 'lesson_plan_adapted', 'lesson_plan_submitted', 'lesson_plan_returned',
  'lesson_plan_finalized', 'lesson_plan_archived', 'lesson_plan_version_saved', 'lesson_plan_version_restored',
  'live_session_scheduled', 'live_session_rescheduled', 'live_session_cancelled',
  'live_session_started', 'live_session_ended', 'observation_submitted', 'reflection_saved', 'headcount_recorded'
));

-- The class's teachers hear about classes scheduled, moved or cancelled with their classrooms.
alter table public.notifications drop constraint notifications_kind_check;
alter table public.notifications add constraint notifications_kind_check check (kind in (
  'pairing_proposed', 'pairing_requested', 'pairing_accepted', 'pairing_declined',
  'pairing_withdrawn', 'pairing_paused', 'pairing_resumed', 'pairing_ended',
  'school_membership_added',
  'live_session_scheduled', 'live_session_rescheduled', 'live_session_cancelled'
));

-- Notifies a session's teachers (main and receiving), except whoever acted.
create function private.notify_session_teachers(target_session_id uuid, kind text, data jsonb) returns void
language sql volatile security definer set search_path = ''
as $$
  insert into public.notifications (user_id, kind, pairing_id, data)
  select distinct t.user_id, kind, ls.pairing_id,
         data || jsonb_build_object('session_id', ls.id, 'title', ls.title, 'starts_at', ls.starts_at, 'actor_id', (select auth.uid()))
  from public.live_sessions ls
  cross join lateral (
    select ls.main_teacher_id as user_id
    union
    select lc.teacher_id from public.live_session_classrooms lc where lc.session_id = ls.id
  ) t
  where ls.id = target_session_id and t.user_id is distinct from (select auth.uid())
$$;
revoke all on function private.notify_session_teachers(uuid, text, jsonb) from public, anon, authenticated;

-- 'main', 'receiving', 'observer' or null: what a user may do in a session's room.
create function private.live_session_role_of(target_session_id uuid, target_user_id uuid) returns text
language sql stable security definer set search_path = ''
as $$
  with s as (
    select ls.id, ls.main_teacher_id, mc.school_id as main_school_id, p.status as pairing_status,
           p.school_a_id, p.school_b_id
    from public.live_sessions ls
    join public.pairings p on p.id = ls.pairing_id
    join public.classrooms mc on mc.id = ls.main_classroom_id
    where ls.id = target_session_id and target_user_id is not null
  ), member_of as (
    select m.school_id from public.school_memberships m where m.user_id = target_user_id
  )
  select case
    when s.pairing_status = 'active' and s.main_teacher_id = target_user_id
      and s.main_school_id in (select school_id from member_of) then 'main'
    when s.pairing_status = 'active' and exists (
      select 1 from public.live_session_classrooms lc join public.classrooms c on c.id = lc.classroom_id
      where lc.session_id = s.id and lc.teacher_id = target_user_id
        and c.school_id in (select school_id from member_of)) then 'receiving'
    when s.pairing_status = 'active' and (s.school_a_id in (select school_id from member_of)
      or s.school_b_id in (select school_id from member_of)) then 'observer'
    when exists (select 1 from public.platform_admins a where a.user_id = target_user_id)
      or exists (select 1 from public.coordinator_scopes cs join public.schools sc on sc.region_id = cs.region_id
                 where cs.user_id = target_user_id and sc.id in (s.school_a_id, s.school_b_id)) then 'observer'
  end
  from s
$$;

create function private.live_session_role(target_session_id uuid) returns text
language sql stable security definer set search_path = ''
as $$
  select private.live_session_role_of(target_session_id, (select auth.uid()))
$$;

-- Where a user sits in a session: their role, and the school and classroom they join for
-- (the main classroom, their receiving classroom; an observer's school, none for
-- coordinators). What the join token's metadata and the attendance rows carry.
create function private.live_session_seat_of(target_session_id uuid, target_user_id uuid)
returns table (role text, school_id uuid, classroom_id uuid)
language sql stable security definer set search_path = ''
as $$
  select r.role,
         case r.role
           when 'main' then mc.school_id
           when 'receiving' then mine.school_id
           when 'observer' then (select m.school_id from public.school_memberships m
                                 join public.pairings p on p.id = ls.pairing_id
                                 where m.user_id = target_user_id and m.school_id in (p.school_a_id, p.school_b_id)
                                 order by m.school_id = mc.school_id desc limit 1)
         end,
         case r.role when 'main' then mc.id when 'receiving' then mine.classroom_id end
  from public.live_sessions ls
  join public.classrooms mc on mc.id = ls.main_classroom_id
  cross join lateral (select private.live_session_role_of(ls.id, target_user_id) as role) r
  left join lateral (
    select lc.classroom_id, c.school_id from public.live_session_classrooms lc join public.classrooms c on c.id = lc.classroom_id
    where lc.session_id = ls.id and lc.teacher_id = target_user_id order by c.name limit 1
  ) mine on true
  where ls.id = target_session_id
$$;

create function private.live_session_seat(target_session_id uuid)
returns table (role text, school_id uuid, classroom_id uuid)
language sql stable security definer set search_path = ''
as $$
  select * from private.live_session_seat_of(target_session_id, (select auth.uid()))
$$;

-- Reading: whoever has a role, both schools' members while the pairing is paused, and the
-- class's own teachers while they belong to one of the two schools, whatever the pairing's
-- state (as a plan's authors keep reading it: their reflections stay theirs).
create function private.can_read_live_session(target_session_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.live_session_role(target_session_id) is not null
    or exists (
      select 1 from public.live_sessions ls join public.pairings p on p.id = ls.pairing_id
      where ls.id = target_session_id
        and (private.is_school_member(p.school_a_id) or private.is_school_member(p.school_b_id))
        and (ls.main_teacher_id = (select auth.uid())
          or exists (select 1 from public.live_session_classrooms lc
                     where lc.session_id = ls.id and lc.teacher_id = (select auth.uid())))
    )
    or exists (
      select 1 from public.live_sessions ls join public.pairings p on p.id = ls.pairing_id
      where ls.id = target_session_id and p.status = 'paused'
        and (private.is_school_member(p.school_a_id) or private.is_school_member(p.school_b_id))
    )
$$;

-- Managing (reschedule, cancel): the session's teachers and whoever scheduled it, while they
-- belong to one of the two schools, and the school admins of both schools — while the pairing
-- is active or paused (a class that falls in a break can be cancelled; moving it needs the
-- pairing active again, which reschedule_live_session checks).
create function private.can_manage_live_session(target_session_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.live_sessions ls join public.pairings p on p.id = ls.pairing_id
    where ls.id = target_session_id and p.status in ('active', 'paused')
      and (private.is_school_admin(p.school_a_id) or private.is_school_admin(p.school_b_id)
        or ((private.is_school_member(p.school_a_id) or private.is_school_member(p.school_b_id))
            and (ls.main_teacher_id = (select auth.uid())
              or ls.created_by = (select auth.uid())
              or exists (select 1 from public.live_session_classrooms lc
                         where lc.session_id = ls.id and lc.teacher_id = (select auth.uid())))))
  )
$$;

-- The first booking that clashes with [starts, ends) for any of the classrooms or teachers,
-- ignoring cancelled sessions and `except_session`; null when free.
create function private.live_session_clash(
  classroom_ids uuid[], teacher_ids uuid[], starts timestamptz, ends timestamptz, except_session uuid
) returns jsonb
language sql stable security definer set search_path = ''
as $$
  with booked as (
    select ls.id, ls.starts_at, ls.ends_at, ls.main_classroom_id as classroom_id, ls.main_teacher_id as teacher_id
    from public.live_sessions ls
    where ls.status <> 'cancelled' and ls.id is distinct from except_session
      and ls.starts_at < ends and ls.ends_at > starts
    union all
    select ls.id, ls.starts_at, ls.ends_at, lc.classroom_id, lc.teacher_id
    from public.live_sessions ls join public.live_session_classrooms lc on lc.session_id = ls.id
    where ls.status <> 'cancelled' and ls.id is distinct from except_session
      and ls.starts_at < ends and ls.ends_at > starts
  )
  select case
    when b.classroom_id = any(classroom_ids) then jsonb_build_object(
      'kind', 'classroom', 'id', b.classroom_id, 'name', (select c.name from public.classrooms c where c.id = b.classroom_id),
      'session_starts_at', b.starts_at, 'session_ends_at', b.ends_at, 'starts_at', starts, 'ends_at', ends)
    else jsonb_build_object(
      'kind', 'teacher', 'id', b.teacher_id, 'name', (select p.display_name from public.profiles p where p.id = b.teacher_id),
      'session_starts_at', b.starts_at, 'session_ends_at', b.ends_at, 'starts_at', starts, 'ends_at', ends)
  end
  from booked b
  where b.classroom_id = any(classroom_ids) or b.teacher_id = any(teacher_ids)
  order by b.starts_at, (b.classroom_id = any(classroom_ids)) desc
  limit 1
$$;

-- Serialises bookings of the same classrooms and teachers across concurrent transactions.
create function private.lock_bookings(ids uuid[]) returns void
language sql volatile set search_path = ''
as $$
  select pg_advisory_xact_lock(hashtextextended(id::text, 7)) from (select distinct unnest(ids) as id order by 1) ids
$$;

create function private.refuse_live_session_change_row() returns trigger
language plpgsql set search_path = ''
as $$
begin
  raise exception 'the reschedule and cancellation log is append-only: % refused', lower(tg_op) using errcode = 'TK405';
end
$$;

revoke all on function
  private.live_session_role_of(uuid, uuid),
  private.live_session_role(uuid),
  private.live_session_seat_of(uuid, uuid),
  private.live_session_seat(uuid),
  private.can_read_live_session(uuid),
  private.can_manage_live_session(uuid),
  private.live_session_clash(uuid[], uuid[], timestamptz, timestamptz, uuid),
  private.lock_bookings(uuid[]),
  private.refuse_live_session_change_row()
from public, anon, authenticated;
grant execute on function private.live_session_role(uuid), private.live_session_seat(uuid),
  private.can_read_live_session(uuid), private.can_manage_live_session(uuid) to authenticated;
grant execute on function private.live_session_role_of(uuid, uuid), private.live_session_seat_of(uuid, uuid) to service_role;

create trigger set_updated_at
  before update on public.live_sessions
  for each row execute function private.set_updated_at();

create trigger set_updated_at
  before update on public.live_session_observations
  for each row execute function private.set_updated_at();

create trigger set_updated_at
  before update on public.live_session_reflections
  for each row execute function private.set_updated_at();

create trigger refuse_live_session_change_row
  before update or delete on public.live_session_changes
  for each row execute function private.refuse_live_session_change_row();

-- Row-level security.

alter table public.live_sessions enable row level security;
alter table public.live_session_classrooms enable row level security;
alter table public.live_session_changes enable row level security;
alter table public.live_session_attendance enable row level security;
alter table public.live_session_headcounts enable row level security;
alter table public.live_session_observations enable row level security;
alter table public.live_session_reflections enable row level security;
alter table public.live_session_messages enable row level security;
alter table public.calendar_feeds enable row level security;
revoke all on table public.live_sessions, public.live_session_classrooms, public.live_session_changes,
  public.live_session_attendance, public.live_session_headcounts,
  public.live_session_observations, public.live_session_reflections, public.live_session_messages,
  public.calendar_feeds from anon, authenticated;
grant select on table public.live_sessions, public.live_session_classrooms, public.live_session_changes,
  public.live_session_attendance, public.live_session_headcounts, public.live_session_observations,
  public.live_session_reflections, public.live_session_messages to authenticated;
grant insert (session_id, body) on table public.live_session_messages to authenticated;
grant select, delete on table public.calendar_feeds to authenticated;
grant insert (token_hash), update (token_hash) on table public.calendar_feeds to authenticated;

create policy "Whoever may read the session can read it"
  on public.live_sessions for select to authenticated
  using (private.can_read_live_session(id));

create policy "Whoever may read the session can read its classrooms"
  on public.live_session_classrooms for select to authenticated
  using (private.can_read_live_session(session_id));

create policy "Whoever may read the session can read its reschedules and cancellations"
  on public.live_session_changes for select to authenticated
  using (private.can_read_live_session(session_id));

create policy "Whoever may read the session can read its attendance"
  on public.live_session_attendance for select to authenticated
  using (private.can_read_live_session(session_id));

create policy "Whoever may read the session can read its headcounts"
  on public.live_session_headcounts for select to authenticated
  using (private.can_read_live_session(session_id));

create policy "Whoever may read the session can read its observations"
  on public.live_session_observations for select to authenticated
  using (private.can_read_live_session(session_id));

create policy "Whoever may read the session can read its reflections"
  on public.live_session_reflections for select to authenticated
  using (private.can_read_live_session(session_id));

create policy "Whoever may join the room can read its chat"
  on public.live_session_messages for select to authenticated
  using (private.live_session_role(session_id) is not null);

create policy "Whoever may join the room can write in its chat, as themselves"
  on public.live_session_messages for insert to authenticated
  with check (author_id = (select auth.uid()) and private.live_session_role(session_id) is not null);

create policy "People read their own calendar feed"
  on public.calendar_feeds for select to authenticated
  using (user_id = (select auth.uid()));

create policy "People create their own calendar feed"
  on public.calendar_feeds for insert to authenticated
  with check (user_id = (select auth.uid()));

create policy "People replace their own calendar feed's token"
  on public.calendar_feeds for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy "People revoke their own calendar feed"
  on public.calendar_feeds for delete to authenticated
  using (user_id = (select auth.uid()));

-- Checks shared by scheduling and rescheduling: every occurrence in the future, at most 4
-- hours long, and no classroom or teacher booked twice.
create function private.check_live_session_times(
  classroom_ids uuid[], teacher_ids uuid[], starts timestamptz[], ends timestamptz[], except_session uuid
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  clash jsonb;
begin
  if cardinality(starts) is distinct from cardinality(ends) or coalesce(cardinality(starts), 0) = 0 then
    raise exception 'each occurrence needs a start and an end' using errcode = 'TK425';
  end if;
  if cardinality(starts) > 30 then
    raise exception 'at most 30 occurrences at once' using errcode = 'TK425';
  end if;
  for i in 1 .. cardinality(starts) loop
    if starts[i] is null or ends[i] is null or ends[i] <= starts[i] then
      raise exception 'occurrence % ends before it starts', i using errcode = 'TK425';
    end if;
    if ends[i] - starts[i] > interval '4 hours' then
      raise exception 'occurrence % is longer than 4 hours', i using errcode = 'TK425';
    end if;
    if starts[i] < now() then
      raise exception 'occurrence % starts in the past', i using errcode = 'TK425';
    end if;
  end loop;
  perform private.lock_bookings(classroom_ids || teacher_ids);
  for i in 1 .. cardinality(starts) loop
    -- Two occurrences of the same request overlapping each other also clash.
    for j in 1 .. i - 1 loop
      if starts[j] < ends[i] and ends[j] > starts[i] then
        raise exception 'occurrences % and % overlap', j, i using errcode = 'TK425';
      end if;
    end loop;
    clash := private.live_session_clash(classroom_ids, teacher_ids, starts[i], ends[i], except_session);
    if clash is not null then
      raise exception 'already booked' using errcode = 'TK423', detail = clash::text;
    end if;
  end loop;
end
$$;
revoke all on function private.check_live_session_times(uuid[], uuid[], timestamptz[], timestamptz[], uuid)
  from public, anon, authenticated;

-- Schedules one session, or a weekly series (one row per occurrence, sharing a series).
-- `receiving` is a json array of {classroom_id, teacher_id}. Returns the sessions' ids.
create function public.schedule_live_session(
  pairing_id uuid,
  title text,
  lesson_plan_id uuid,
  main_classroom_id uuid,
  main_teacher_id uuid,
  receiving jsonb,
  starts_at timestamptz[],
  ends_at timestamptz[]
) returns uuid[]
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  pairing public.pairings;
  main_school uuid;
  receivers jsonb;
  classroom_ids uuid[];
  teacher_ids uuid[];
  series uuid;
  clean_title text := btrim(schedule_live_session.title, E' \t\n\r\u00a0\u3000');
  new_id uuid;
  ids uuid[] := '{}';
begin
  select * into pairing from public.pairings where id = schedule_live_session.pairing_id;
  if not found or actor is null
     or not (private.is_school_member(pairing.school_a_id) or private.is_school_member(pairing.school_b_id)) then
    raise exception 'not allowed to schedule classes in this pairing' using errcode = '42501';
  end if;
  if pairing.status <> 'active' then
    raise exception 'classes are scheduled in active pairings; this one is %', pairing.status using errcode = 'TK422';
  end if;

  select c.school_id into main_school from public.classrooms c
  where c.id = schedule_live_session.main_classroom_id and c.school_id in (pairing.school_a_id, pairing.school_b_id);
  if main_school is null then
    raise exception 'the main classroom must belong to one of the pairing''s schools' using errcode = 'TK425';
  end if;
  if schedule_live_session.main_teacher_id is null or not exists (
    select 1 from public.school_memberships m
    where m.user_id = schedule_live_session.main_teacher_id and m.school_id = main_school) then
    raise exception 'the main teacher must teach at the main classroom''s school' using errcode = 'TK425';
  end if;

  receivers := coalesce(receiving, '[]'::jsonb);
  if jsonb_typeof(receivers) <> 'array' or jsonb_array_length(receivers) = 0 or jsonb_array_length(receivers) > 6 then
    raise exception 'one to six receiving classrooms' using errcode = 'TK425';
  end if;
  if exists (
    select 1 from jsonb_array_elements(receivers) r
    where jsonb_typeof(r) <> 'object'
       or coalesce(r ->> 'classroom_id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       or coalesce(r ->> 'teacher_id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') then
    raise exception 'each receiving classroom needs a classroom and its teacher' using errcode = 'TK425';
  end if;
  if exists (
    select 1 from jsonb_array_elements(receivers) r
    left join public.classrooms c on c.id = (r ->> 'classroom_id')::uuid
    where c.id is null or c.school_id not in (pairing.school_a_id, pairing.school_b_id)
       or c.id = schedule_live_session.main_classroom_id
       or not exists (select 1 from public.school_memberships m
                      where m.user_id = (r ->> 'teacher_id')::uuid and m.school_id = c.school_id)) then
    raise exception 'each receiving classroom belongs to the pairing, is not the main one, and its teacher teaches there'
      using errcode = 'TK425';
  end if;
  if (select count(distinct r ->> 'classroom_id') from jsonb_array_elements(receivers) r) <> jsonb_array_length(receivers) then
    raise exception 'a receiving classroom is listed twice' using errcode = 'TK425';
  end if;
  if not exists (
    select 1 from jsonb_array_elements(receivers) r join public.classrooms c on c.id = (r ->> 'classroom_id')::uuid
    where c.school_id <> main_school) then
    raise exception 'a receiving classroom must be at the partner school' using errcode = 'TK425';
  end if;
  if schedule_live_session.lesson_plan_id is not null and not exists (
    select 1 from public.lesson_plans lp
    where lp.id = schedule_live_session.lesson_plan_id and lp.pairing_id = pairing.id
      and private.lesson_plan_access(lp.id) is not null) then
    raise exception 'the lesson plan must be one of this pairing''s' using errcode = 'TK425';
  end if;

  select array_agg((r ->> 'classroom_id')::uuid) || schedule_live_session.main_classroom_id,
         array_agg((r ->> 'teacher_id')::uuid) || schedule_live_session.main_teacher_id
  into classroom_ids, teacher_ids
  from jsonb_array_elements(receivers) r;
  -- A teacher is in one classroom at a time, in one session as in two.
  if (select count(distinct t) from unnest(teacher_ids) t) <> cardinality(teacher_ids) then
    raise exception 'a teacher is listed twice: each classroom needs its own teacher' using errcode = 'TK425';
  end if;
  perform private.check_live_session_times(classroom_ids, teacher_ids, starts_at, ends_at, null);

  series := case when cardinality(starts_at) > 1 then gen_random_uuid() end;
  for i in 1 .. cardinality(starts_at) loop
    insert into public.live_sessions (pairing_id, series_id, title, lesson_plan_id, main_classroom_id, main_teacher_id,
                                      starts_at, ends_at, created_by)
    values (pairing.id, series, clean_title, schedule_live_session.lesson_plan_id, schedule_live_session.main_classroom_id,
            schedule_live_session.main_teacher_id, starts_at[i], ends_at[i], actor)
    returning id into new_id;
    insert into public.live_session_classrooms (session_id, classroom_id, teacher_id)
    select new_id, (r ->> 'classroom_id')::uuid, (r ->> 'teacher_id')::uuid from jsonb_array_elements(receivers) r;
    ids := ids || new_id;
  end loop;

  perform private.notify_session_teachers(ids[1], 'live_session_scheduled', jsonb_build_object('occurrences', cardinality(ids)));
  insert into public.pairing_events (pairing_id, kind, actor_id, data)
  values (pairing.id, 'live_session_scheduled', actor,
          jsonb_build_object('session_ids', to_jsonb(ids), 'title', clean_title, 'starts_at', starts_at[1],
                             'occurrences', cardinality(ids)));
  return ids;
end
$$;

-- Moves a scheduled session, with a reason code; the calendar's SEQUENCE goes up.
create function public.reschedule_live_session(
  session_id uuid, starts_at timestamptz, ends_at timestamptz, reason text, note text
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  s public.live_sessions;
  classroom_ids uuid[];
  teacher_ids uuid[];
begin
  select * into s from public.live_sessions where id = reschedule_live_session.session_id for update;
  if not found or not private.can_manage_live_session(s.id) then
    raise exception 'not allowed to reschedule this class' using errcode = '42501';
  end if;
  if s.status <> 'scheduled' then
    raise exception 'only a scheduled class can be moved; this one is %', s.status using errcode = 'TK422';
  end if;
  if (select p.status from public.pairings p where p.id = s.pairing_id) <> 'active' then
    raise exception 'classes are moved in active pairings; cancel it, or resume the pairing first' using errcode = 'TK422';
  end if;
  if reason is null or reason not in ('network', 'weather', 'exams', 'other') then
    raise exception 'a reason code is required' using errcode = 'TK425';
  end if;
  select array_agg(lc.classroom_id) || s.main_classroom_id, array_agg(lc.teacher_id) || s.main_teacher_id
  into classroom_ids, teacher_ids
  from public.live_session_classrooms lc where lc.session_id = s.id;
  perform private.check_live_session_times(classroom_ids, teacher_ids, array[starts_at], array[ends_at], s.id);

  insert into public.live_session_changes (session_id, kind, reason, note, previous_starts_at, previous_ends_at,
                                           starts_at, ends_at, actor_id)
  values (s.id, 'rescheduled', reason, nullif(btrim(note, E' \t\n\r\u00a0\u3000'), ''), s.starts_at, s.ends_at,
          reschedule_live_session.starts_at, reschedule_live_session.ends_at, actor);
  update public.live_sessions
  set starts_at = reschedule_live_session.starts_at, ends_at = reschedule_live_session.ends_at, sequence = sequence + 1
  where id = s.id;
  perform private.notify_session_teachers(s.id, 'live_session_rescheduled', jsonb_build_object('reason', reason, 'from', s.starts_at));
  insert into public.pairing_events (pairing_id, kind, actor_id, reason, data)
  values (s.pairing_id, 'live_session_rescheduled', actor, nullif(btrim(note, E' \t\n\r\u00a0\u3000'), ''),
          jsonb_build_object('session_id', s.id, 'reason', reason, 'from', s.starts_at,
                             'to', reschedule_live_session.starts_at));
end
$$;

create function public.cancel_live_session(session_id uuid, reason text, note text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  s public.live_sessions;
begin
  select * into s from public.live_sessions where id = cancel_live_session.session_id for update;
  if not found or not private.can_manage_live_session(s.id) then
    raise exception 'not allowed to cancel this class' using errcode = '42501';
  end if;
  if s.status <> 'scheduled' then
    raise exception 'only a scheduled class can be cancelled; this one is %', s.status using errcode = 'TK422';
  end if;
  if reason is null or reason not in ('network', 'weather', 'exams', 'other') then
    raise exception 'a reason code is required' using errcode = 'TK425';
  end if;
  insert into public.live_session_changes (session_id, kind, reason, note, previous_starts_at, previous_ends_at, actor_id)
  values (s.id, 'cancelled', reason, nullif(btrim(note, E' \t\n\r\u00a0\u3000'), ''), s.starts_at, s.ends_at, actor);
  update public.live_sessions set status = 'cancelled', cancel_reason = reason, sequence = sequence + 1 where id = s.id;
  perform private.notify_session_teachers(s.id, 'live_session_cancelled', jsonb_build_object('reason', reason));
  insert into public.pairing_events (pairing_id, kind, actor_id, reason, data)
  values (s.pairing_id, 'live_session_cancelled', actor, nullif(btrim(note, E' \t\n\r\u00a0\u3000'), ''),
          jsonb_build_object('session_id', s.id, 'reason', reason, 'starts_at', s.starts_at));
end
$$;

-- After the class (live or ended): the headcount of a classroom, by that classroom's teacher.
create function public.record_live_session_headcount(session_id uuid, classroom_id uuid, headcount integer) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  s public.live_sessions;
  role text;
begin
  select * into s from public.live_sessions where id = record_live_session_headcount.session_id;
  role := case when found then private.live_session_role(s.id) end;
  if role is null or not (
    (role = 'main' and s.main_classroom_id = record_live_session_headcount.classroom_id)
    or (role = 'receiving' and exists (
      select 1 from public.live_session_classrooms lc
      where lc.session_id = s.id and lc.classroom_id = record_live_session_headcount.classroom_id and lc.teacher_id = actor))) then
    raise exception 'only the classroom''s own teacher enters its headcount' using errcode = '42501';
  end if;
  if s.status not in ('live', 'ended') then
    raise exception 'a headcount is entered once the class has taken place; it is %', s.status using errcode = 'TK422';
  end if;
  insert into public.live_session_headcounts as h (session_id, classroom_id, headcount, entered_by)
  values (s.id, record_live_session_headcount.classroom_id, record_live_session_headcount.headcount, actor)
  on conflict on constraint live_session_headcounts_pkey
  do update set headcount = excluded.headcount, entered_by = excluded.entered_by, entered_at = now();
  insert into public.pairing_events (pairing_id, kind, actor_id, data)
  values (s.pairing_id, 'headcount_recorded', actor,
          jsonb_build_object('session_id', s.id, 'classroom_id', record_live_session_headcount.classroom_id,
                             'headcount', record_live_session_headcount.headcount));
end
$$;

-- The rubric's criteria; each scored 1–5 (app/live/schemas.ts has the same list).
create function private.valid_observation_rubric(rubric jsonb) returns boolean
language sql immutable set search_path = ''
as $$
  select jsonb_typeof(rubric) = 'object'
    and (select array_agg(k order by k) from jsonb_object_keys(rubric) k)
        is not distinct from array['engagement', 'interaction', 'objectives', 'remote_inclusion', 'technology']
    and not exists (
      select 1 from jsonb_each(rubric) e
      where jsonb_typeof(e.value) <> 'number' or e.value::numeric not in (1, 2, 3, 4, 5))
$$;
revoke all on function private.valid_observation_rubric(jsonb) from public, anon, authenticated;

-- 听评课: observers (not the class's own teachers) submit, or revise, their observation.
create function public.submit_live_session_observation(session_id uuid, rubric jsonb, notes text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  s public.live_sessions;
  observation_id uuid;
  inserted boolean;
begin
  select * into s from public.live_sessions where id = submit_live_session_observation.session_id;
  if not found or private.live_session_role(s.id) is distinct from 'observer' then
    raise exception 'only observers submit observations' using errcode = '42501';
  end if;
  if s.status not in ('live', 'ended') then
    raise exception 'observations follow a class that took place; it is %', s.status using errcode = 'TK422';
  end if;
  if not private.valid_observation_rubric(rubric) then
    raise exception 'the rubric scores each criterion 1 to 5' using errcode = 'TK425';
  end if;
  insert into public.live_session_observations as o (session_id, observer_id, rubric, notes)
  values (s.id, actor, rubric, coalesce(btrim(notes, E' \t\n\r\u00a0\u3000'), ''))
  on conflict on constraint live_session_observations_session_id_observer_id_unique
  do update set rubric = excluded.rubric, notes = excluded.notes
  returning o.id, (xmax = 0) into observation_id, inserted;
  if inserted then
    insert into public.pairing_events (pairing_id, kind, actor_id, data)
    values (s.pairing_id, 'observation_submitted', actor, jsonb_build_object('session_id', s.id, 'observation_id', observation_id));
  end if;
  return observation_id;
end
$$;

-- The main and receiving teachers write (and revise) a reflection, linked to the lesson plan.
create function public.save_live_session_reflection(session_id uuid, body text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  s public.live_sessions;
  inserted boolean;
begin
  select * into s from public.live_sessions where id = save_live_session_reflection.session_id;
  if not found or coalesce(private.live_session_role(s.id), '') not in ('main', 'receiving') then
    raise exception 'reflections are written by the class''s teachers' using errcode = '42501';
  end if;
  if s.status not in ('live', 'ended') then
    raise exception 'reflections follow a class that took place; it is %', s.status using errcode = 'TK422';
  end if;
  insert into public.live_session_reflections as r (session_id, author_id, lesson_plan_id, body)
  values (s.id, actor, s.lesson_plan_id, btrim(body, E' \t\n\r\u00a0\u3000'))
  on conflict on constraint live_session_reflections_pkey
  do update set body = excluded.body, lesson_plan_id = excluded.lesson_plan_id
  returning (xmax = 0) into inserted;
  if inserted then
    insert into public.pairing_events (pairing_id, kind, actor_id, data)
    values (s.pairing_id, 'reflection_saved', actor, jsonb_build_object('session_id', s.id, 'lesson_plan_id', s.lesson_plan_id));
  end if;
end
$$;

revoke all on function
  public.schedule_live_session(uuid, text, uuid, uuid, uuid, jsonb, timestamptz[], timestamptz[]),
  public.reschedule_live_session(uuid, timestamptz, timestamptz, text, text),
  public.cancel_live_session(uuid, text, text),
  public.record_live_session_headcount(uuid, uuid, integer),
  public.submit_live_session_observation(uuid, jsonb, text),
  public.save_live_session_reflection(uuid, text)
from public, anon, service_role;
grant execute on function
  public.schedule_live_session(uuid, text, uuid, uuid, uuid, jsonb, timestamptz[], timestamptz[]),
  public.reschedule_live_session(uuid, timestamptz, timestamptz, text, text),
  public.cancel_live_session(uuid, text, text),
  public.record_live_session_headcount(uuid, uuid, integer),
  public.submit_live_session_observation(uuid, jsonb, text),
  public.save_live_session_reflection(uuid, text)
to authenticated;

-- Scheduling needs the partner school's classrooms, and a session's readers see the
-- classrooms it names: a pairing's members may read both schools' classrooms while it is
-- active or paused, and its coordinators (of either region) once it has been accepted.
create function private.can_read_pairing_classrooms(target_school_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.pairings p
    where target_school_id in (p.school_a_id, p.school_b_id)
      and ((p.status in ('active', 'paused')
            and (private.is_school_member(p.school_a_id) or private.is_school_member(p.school_b_id)))
        or (p.status in ('active', 'paused', 'ended')
            and (private.coordinates_school(p.school_a_id) or private.coordinates_school(p.school_b_id))))
  )
$$;
revoke all on function private.can_read_pairing_classrooms(uuid) from public, anon, authenticated;
grant execute on function private.can_read_pairing_classrooms(uuid) to authenticated;

create policy "A pairing's members and coordinators can read both schools' classrooms"
  on public.classrooms for select to authenticated
  using (private.can_read_pairing_classrooms(school_id));

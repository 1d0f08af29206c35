-- Pairings (结对) between schools of different regions: the pairing, its goals per term,
-- its append-only activity log, and the in-app notifications its transitions send.
--
-- Nobody writes these tables directly: authenticated has select only (and read_at on its
-- own notifications). Every change goes through the security definer functions at the
-- end of this file, which check the caller's authority, the state machine and the
-- expected version, and write the pairing, one event and the notifications together.
-- So an illegal transition is impossible, not just hidden.
--
-- Errors the functions raise (app/pairings/errors.ts names them):
--   42501 not allowed (also: no such pairing, so strangers learn nothing)
--   23505 a second open pairing for the same two schools (index pairings_open_school_pair_unique)
--   TK409 stale expected_version: someone else acted first
--   TK422 illegal for the pairing's current state (and any write to a terminal pairing)
--   TK423 the two schools are in the same region
--   TK424 a reason is required (decline, pause, end)
--   TK425 bad input (unknown action or subject, bad term, negative count, too long)
--   TK405 pairing events are append-only
--
-- History keeps what it refers to: the schools, accounts and pairings that pairings and
-- events point at cannot be deleted (deactivate an account instead). Those references are
-- `no action` rather than `restrict` so the refusal is 23503 on every PostgreSQL version
-- (PostgreSQL 18, which PGlite runs, answers a restrict with 23001).

create table public.pairings (
  id uuid primary key default gen_random_uuid(),
  -- School A is the proposing side, school B the side that accepts or declines.
  school_a_id uuid not null
    constraint pairings_school_a_id_schools_id_fk references public.schools (id) on delete no action,
  school_b_id uuid not null
    constraint pairings_school_b_id_schools_id_fk references public.schools (id) on delete no action,
  status text not null
    constraint pairings_status_check
      check (status in ('requested', 'proposed', 'active', 'paused', 'ended', 'declined', 'withdrawn')),
  -- The coordinator who proposed, or the school admin who requested.
  proposed_by uuid not null
    constraint pairings_proposed_by_profiles_id_fk references public.profiles (id) on delete no action,
  proposed_at timestamptz not null default now(),
  -- The outcome of the proposal: who accepted, declined or withdrew it, when and why.
  decided_by uuid
    constraint pairings_decided_by_profiles_id_fk references public.profiles (id) on delete no action,
  decided_at timestamptz,
  decision_reason text
    constraint pairings_decision_reason_check check (char_length(decision_reason) <= 2000),
  started_at timestamptz,
  ended_at timestamptz,
  -- Optimistic concurrency: every change through the functions increments it.
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pairings_different_schools_check check (school_a_id <> school_b_id),
  constraint pairings_lifecycle_check check (
    (decided_at is null) = (status in ('requested', 'proposed'))
    and (started_at is not null) = (status in ('active', 'paused', 'ended'))
    and (ended_at is not null) = (status = 'ended')
  )
);

-- At most one open pairing per unordered pair of schools; the app recognises a 23505 by
-- this name.
create unique index pairings_open_school_pair_unique
  on public.pairings (least(school_a_id, school_b_id), greatest(school_a_id, school_b_id))
  where status in ('requested', 'proposed', 'active', 'paused');
-- "The pairings of this school": policies, the workspace and the dashboard start here.
create index pairings_school_a_id_idx on public.pairings (school_a_id);
create index pairings_school_b_id_idx on public.pairings (school_b_id);

create table public.pairing_goals (
  id uuid primary key default gen_random_uuid(),
  pairing_id uuid not null
    constraint pairing_goals_pairing_id_pairings_id_fk references public.pairings (id) on delete cascade,
  -- School year and semester: 2026-2027-1 is the autumn semester of 2026.
  term text not null
    constraint pairing_goals_term_check check (
      case when term ~ '^[0-9]{4}-[0-9]{4}-[12]$'
        then split_part(term, '-', 2)::integer = split_part(term, '-', 1)::integer + 1
        else false
      end
    ),
  joint_lessons_planned integer not null
    constraint pairing_goals_joint_lessons_planned_check check (joint_lessons_planned >= 0),
  -- The codes of app/db/enums.ts SUBJECTS.
  subjects text[] not null
    constraint pairing_goals_subjects_check check (
      cardinality(subjects) > 0
      and subjects <@ array[
        'chinese', 'math', 'english', 'science', 'music', 'art', 'pe', 'ethics', 'it',
        'tibetan', 'history', 'geography', 'physics', 'chemistry', 'biology', 'other'
      ]::text[]
    ),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pairing_goals_pairing_id_term_unique unique (pairing_id, term)
);

create table public.pairing_events (
  id uuid primary key default gen_random_uuid(),
  pairing_id uuid not null
    constraint pairing_events_pairing_id_pairings_id_fk references public.pairings (id) on delete no action,
  -- Later issues widen this check (lesson plans, live classes): drop and re-add it by name.
  kind text not null
    constraint pairing_events_kind_check check (kind in (
      'requested', 'proposed', 'forwarded', 'accepted', 'declined', 'withdrawn',
      'paused', 'resumed', 'ended', 'goals_updated'
    )),
  actor_id uuid
    constraint pairing_events_actor_id_profiles_id_fk references public.profiles (id) on delete no action,
  reason text
    constraint pairing_events_reason_check check (char_length(reason) <= 2000),
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
-- The timeline of a pairing, newest first, and "last activity" per pairing.
create index pairing_events_pairing_id_created_at_idx on public.pairing_events (pairing_id, created_at);

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null
    constraint notifications_user_id_profiles_id_fk references public.profiles (id) on delete cascade,
  -- Later issues widen this check (invitations, live classes): drop and re-add it by name.
  kind text not null
    constraint notifications_kind_check check (kind in (
      'pairing_proposed', 'pairing_requested', 'pairing_accepted', 'pairing_declined',
      'pairing_withdrawn', 'pairing_paused', 'pairing_resumed', 'pairing_ended'
    )),
  pairing_id uuid
    constraint notifications_pairing_id_pairings_id_fk references public.pairings (id) on delete cascade,
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
-- The header's unread count and the list, per user.
create index notifications_user_id_created_at_idx on public.notifications (user_id, created_at);
create index notifications_user_id_unread_idx on public.notifications (user_id) where read_at is null;

-- Which pairings the caller may read: those of a school they belong to (teacher or school
-- admin), those touching a region they coordinate, and all of them for platform admins.
-- One set per statement, so policies over long event lists stay cheap.
create function private.readable_pairing_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  with my_schools as (
    select m.school_id from public.school_memberships m where m.user_id = (select auth.uid())
    union
    select s.id
    from public.coordinator_scopes c
    join public.schools s on s.region_id = c.region_id
    where c.user_id = (select auth.uid())
  )
  select p.id from public.pairings p where (select private.is_platform_admin())
  union
  select p.id from public.pairings p join my_schools on my_schools.school_id = p.school_a_id
  union
  select p.id from public.pairings p join my_schools on my_schools.school_id = p.school_b_id
$$;

-- Guards that hold for every writer, the database owner included.

create function private.guard_pairing_write() returns trigger
language plpgsql set search_path = ''
as $$
declare
  region_a uuid;
  region_b uuid;
begin
  if tg_op in ('UPDATE', 'DELETE') and old.status in ('ended', 'declined', 'withdrawn') then
    raise exception 'pairing % is % and read-only', old.id, old.status using errcode = 'TK422';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if tg_op = 'INSERT' or new.school_a_id <> old.school_a_id or new.school_b_id <> old.school_b_id then
    select region_id into region_a from public.schools where id = new.school_a_id;
    select region_id into region_b from public.schools where id = new.school_b_id;
    if region_a = region_b then
      raise exception 'the two schools of a pairing must be in different regions' using errcode = 'TK423';
    end if;
  end if;
  return new;
end
$$;

-- Goals and events of a terminal pairing are frozen. The event recording the terminal
-- transition itself is written while the pairing is still open (the functions insert the
-- event before they update the pairing), so nothing needs an exception here.
create function private.guard_pairing_detail_write() returns trigger
language plpgsql set search_path = ''
as $$
declare
  closed public.pairings;
begin
  select * into closed from public.pairings
  where id in (old.pairing_id, new.pairing_id) and status in ('ended', 'declined', 'withdrawn')
  limit 1;
  if found then
    raise exception 'pairing % is % and read-only', closed.id, closed.status using errcode = 'TK422';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;

create function private.refuse_pairing_event_change() returns trigger
language plpgsql set search_path = ''
as $$
begin
  raise exception 'pairing events are append-only: % refused', lower(tg_op) using errcode = 'TK405';
end
$$;

revoke all on function
  private.readable_pairing_ids(),
  private.guard_pairing_write(),
  private.guard_pairing_detail_write(),
  private.refuse_pairing_event_change()
from public, anon, authenticated;
grant execute on function private.readable_pairing_ids() to authenticated;

create trigger guard_pairing_write
  before insert or update or delete on public.pairings
  for each row execute function private.guard_pairing_write();

create trigger set_updated_at
  before update on public.pairings
  for each row execute function private.set_updated_at();

create trigger guard_pairing_detail_write
  before insert or update or delete on public.pairing_goals
  for each row execute function private.guard_pairing_detail_write();

create trigger set_updated_at
  before update on public.pairing_goals
  for each row execute function private.set_updated_at();

create trigger guard_pairing_detail_write
  before insert on public.pairing_events
  for each row execute function private.guard_pairing_detail_write();

create trigger refuse_pairing_event_change
  before update or delete on public.pairing_events
  for each row execute function private.refuse_pairing_event_change();

create trigger refuse_pairing_event_truncate
  before truncate on public.pairing_events
  for each statement execute function private.refuse_pairing_event_change();

-- pairings

alter table public.pairings enable row level security;
revoke all on table public.pairings from anon, authenticated;
grant select on table public.pairings to authenticated;

-- A side is a school's teachers and school admins and its region's coordinators; platform
-- admins read every pairing too (private.readable_pairing_ids). Policy names stop at 63 bytes.
create policy "Members and coordinators of both sides can read the pairing"
  on public.pairings for select to authenticated
  using (id in (select private.readable_pairing_ids()));

-- pairing_goals

alter table public.pairing_goals enable row level security;
revoke all on table public.pairing_goals from anon, authenticated;
grant select on table public.pairing_goals to authenticated;

create policy "Whoever can read the pairing can read its goals"
  on public.pairing_goals for select to authenticated
  using (pairing_id in (select private.readable_pairing_ids()));

-- pairing_events

alter table public.pairing_events enable row level security;
revoke all on table public.pairing_events from anon, authenticated;
grant select on table public.pairing_events to authenticated;

create policy "Whoever can read the pairing can read its activity"
  on public.pairing_events for select to authenticated
  using (pairing_id in (select private.readable_pairing_ids()));

-- notifications

alter table public.notifications enable row level security;
revoke all on table public.notifications from anon, authenticated;
grant select on table public.notifications to authenticated;
grant update (read_at) on table public.notifications to authenticated;

create policy "Users can read their own notifications"
  on public.notifications for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Users can mark their own notifications as read"
  on public.notifications for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

-- The transitions. security definer: they write tables authenticated cannot write, after
-- checking the caller's authority with the private helpers (which read auth.uid() from
-- the caller's claims). Parameters are qualified with the function's name wherever a
-- column of the same name could be meant.

-- A coordinator of school A's region proposes (status proposed, notifying school B's
-- region's coordinators); a school admin of school A requests (status requested,
-- notifying school A's region's coordinators, who forward or decline).
create function public.propose_pairing(
  school_a_id uuid,
  school_b_id uuid,
  term text,
  joint_lessons_planned integer,
  subjects text[],
  note text
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  actor uuid := (select auth.uid());
  initial_status text;
  region_a uuid;
  region_b uuid;
  clean_note text := nullif(btrim(propose_pairing.note, E' \t\n\r\u00a0\u3000'), '');
  clean_subjects text[];
  new_id uuid;
begin
  if actor is not null and private.coordinates_school(propose_pairing.school_a_id) then
    initial_status := 'proposed';
  elsif actor is not null and private.is_school_admin(propose_pairing.school_a_id) then
    initial_status := 'requested';
  else
    raise exception 'not allowed to propose a pairing for this school' using errcode = '42501';
  end if;

  select region_id into region_a from public.schools where id = propose_pairing.school_a_id;
  select region_id into region_b from public.schools where id = propose_pairing.school_b_id;
  if region_b is null then
    raise exception 'unknown partner school' using errcode = 'TK425';
  end if;
  if region_a = region_b then
    raise exception 'the two schools of a pairing must be in different regions' using errcode = 'TK423';
  end if;
  if char_length(clean_note) > 2000 then
    raise exception 'the note is longer than 2000 characters' using errcode = 'TK425';
  end if;
  clean_subjects := array(
    select s from unnest(propose_pairing.subjects) with ordinality as u(s, i) group by s order by min(i)
  );

  insert into public.pairings (school_a_id, school_b_id, status, proposed_by)
  values (propose_pairing.school_a_id, propose_pairing.school_b_id, initial_status, actor)
  returning id into new_id;

  begin
    insert into public.pairing_goals (pairing_id, term, joint_lessons_planned, subjects)
    values (new_id, propose_pairing.term, propose_pairing.joint_lessons_planned, clean_subjects);
  exception when check_violation or not_null_violation then
    raise exception 'invalid pairing goals: %', sqlerrm using errcode = 'TK425';
  end;

  insert into public.pairing_events (pairing_id, kind, actor_id, reason, data)
  values (
    new_id,
    initial_status,
    actor,
    clean_note,
    jsonb_build_object(
      'status', initial_status,
      'term', propose_pairing.term,
      'joint_lessons_planned', propose_pairing.joint_lessons_planned,
      'subjects', to_jsonb(clean_subjects)
    )
  );

  insert into public.notifications (user_id, kind, pairing_id, data)
  select c.user_id,
         'pairing_' || initial_status,
         new_id,
         jsonb_build_object('actor_id', actor, 'action', initial_status, 'reason', clean_note)
  from public.coordinator_scopes c
  where c.region_id = case when initial_status = 'proposed' then region_b else region_a end
    and c.user_id <> actor;

  return new_id;
end
$$;

-- The state machine (state × action → state, who):
--   requested  forward  → proposed   coordinator of A's region
--   requested  decline  → declined   coordinator of A's region, with a reason
--   requested  withdraw → withdrawn  school admin of A or coordinator of A's region
--   proposed   accept   → active     coordinator of B's region
--   proposed   decline  → declined   coordinator of B's region, with a reason
--   proposed   withdraw → withdrawn  school admin of A or coordinator of A's region
--   active     pause    → paused     coordinator of either region, with a reason
--   active     end      → ended      coordinator of either region, with a reason
--   paused     resume   → active     coordinator of either region
--   paused     end      → ended      coordinator of either region, with a reason
-- Returns the pairing's new version.
create function public.transition_pairing(
  pairing_id uuid,
  action text,
  reason text,
  expected_version integer
) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  actor uuid := (select auth.uid());
  pairing public.pairings;
  -- Blank means spaces, tabs, line breaks and the full-width space of Chinese input too.
  clean_reason text := nullif(btrim(transition_pairing.reason, E' \t\n\r\u00a0\u3000'), '');
  coordinates_a boolean;
  coordinates_b boolean;
  admin_a boolean;
  next_status text;
  allowed boolean;
  event_kind text;
  new_version integer;
begin
  -- The row lock queues concurrent transitions; the version check below then tells the
  -- later one that someone else acted first.
  select * into pairing from public.pairings where id = transition_pairing.pairing_id for update;
  if found and actor is not null then
    coordinates_a := private.coordinates_school(pairing.school_a_id);
    coordinates_b := private.coordinates_school(pairing.school_b_id);
    admin_a := private.is_school_admin(pairing.school_a_id);
  end if;
  -- Only those who may take some action on it get further than this; for everyone else
  -- (and for a pairing that does not exist) the answer is the same.
  if not coalesce(coordinates_a or coordinates_b or admin_a, false) then
    raise exception 'not allowed to act on this pairing' using errcode = '42501';
  end if;

  if transition_pairing.action is null
     or transition_pairing.action not in ('forward', 'accept', 'decline', 'withdraw', 'pause', 'resume', 'end') then
    raise exception 'unknown pairing action %', coalesce(transition_pairing.action, 'null') using errcode = 'TK425';
  end if;
  if transition_pairing.expected_version is null then
    raise exception 'expected_version is required' using errcode = 'TK425';
  end if;
  if pairing.version <> transition_pairing.expected_version then
    raise exception 'pairing % changed: version % expected, % found',
      pairing.id, transition_pairing.expected_version, pairing.version using errcode = 'TK409';
  end if;

  next_status := case pairing.status || ':' || transition_pairing.action
    when 'requested:forward' then 'proposed'
    when 'requested:decline' then 'declined'
    when 'requested:withdraw' then 'withdrawn'
    when 'proposed:accept' then 'active'
    when 'proposed:decline' then 'declined'
    when 'proposed:withdraw' then 'withdrawn'
    when 'active:pause' then 'paused'
    when 'active:end' then 'ended'
    when 'paused:resume' then 'active'
    when 'paused:end' then 'ended'
  end;
  if next_status is null then
    raise exception 'cannot % a % pairing', transition_pairing.action, pairing.status using errcode = 'TK422';
  end if;

  allowed := case transition_pairing.action
    when 'forward' then coordinates_a
    when 'decline' then case when pairing.status = 'requested' then coordinates_a else coordinates_b end
    when 'accept' then coordinates_b
    when 'withdraw' then coordinates_a or admin_a
    else coordinates_a or coordinates_b
  end;
  if not coalesce(allowed, false) then
    raise exception 'not allowed to % this pairing', transition_pairing.action using errcode = '42501';
  end if;

  if transition_pairing.action in ('decline', 'pause', 'end') and clean_reason is null then
    raise exception 'a reason is required to % a pairing', transition_pairing.action using errcode = 'TK424';
  end if;
  if char_length(clean_reason) > 2000 then
    raise exception 'the reason is longer than 2000 characters' using errcode = 'TK425';
  end if;

  event_kind := case transition_pairing.action
    when 'forward' then 'forwarded'
    when 'accept' then 'accepted'
    when 'decline' then 'declined'
    when 'withdraw' then 'withdrawn'
    when 'pause' then 'paused'
    when 'resume' then 'resumed'
    when 'end' then 'ended'
  end;

  -- The event first, while the pairing is still open (see guard_pairing_detail_write).
  insert into public.pairing_events (pairing_id, kind, actor_id, reason, data)
  values (
    pairing.id,
    event_kind,
    actor,
    clean_reason,
    jsonb_build_object('from', pairing.status, 'to', next_status, 'version', pairing.version + 1)
  );

  update public.pairings
  set status = next_status,
      version = pairing.version + 1,
      decided_by = case when transition_pairing.action in ('accept', 'decline', 'withdraw') then actor else decided_by end,
      decided_at = case when transition_pairing.action in ('accept', 'decline', 'withdraw') then now() else decided_at end,
      decision_reason = case
        when transition_pairing.action in ('accept', 'decline', 'withdraw') then clean_reason
        else decision_reason
      end,
      started_at = case when transition_pairing.action = 'accept' then now() else started_at end,
      ended_at = case when transition_pairing.action = 'end' then now() else ended_at end
  where id = pairing.id
  returning version into new_version;

  -- Who hears of it, never the actor: a forwarded request goes to B's region's
  -- coordinators; the outcome of a request (declined, withdrawn) to those who heard of it,
  -- A's region's coordinators and A's school admins; every other transition to the
  -- coordinators of the side(s) the actor does not coordinate and the school admins of
  -- both schools.
  insert into public.notifications (user_id, kind, pairing_id, data)
  select audience.user_id,
         case event_kind when 'forwarded' then 'pairing_proposed' else 'pairing_' || event_kind end,
         pairing.id,
         jsonb_build_object('actor_id', actor, 'action', transition_pairing.action, 'reason', clean_reason)
  from (
    select c.user_id
    from public.coordinator_scopes c
    join public.schools s on s.region_id = c.region_id
    where transition_pairing.action = 'forward' and s.id = pairing.school_b_id
    union
    select c.user_id
    from public.coordinator_scopes c
    join public.schools s on s.region_id = c.region_id
    where pairing.status = 'requested' and transition_pairing.action <> 'forward' and s.id = pairing.school_a_id
    union
    select m.user_id
    from public.school_memberships m
    where pairing.status = 'requested' and transition_pairing.action <> 'forward'
      and m.school_id = pairing.school_a_id and m.role = 'school_admin'
    union
    select c.user_id
    from public.coordinator_scopes c
    join public.schools s on s.region_id = c.region_id
    where pairing.status <> 'requested' and s.id in (pairing.school_a_id, pairing.school_b_id)
      and not private.coordinates_region(c.region_id)
    union
    select m.user_id
    from public.school_memberships m
    where pairing.status <> 'requested'
      and m.school_id in (pairing.school_a_id, pairing.school_b_id) and m.role = 'school_admin'
  ) as audience
  where audience.user_id <> actor;

  return new_version;
end
$$;

-- Sets the goals of one term (creating or replacing them): coordinators of either region,
-- while the pairing is not terminal. Returns the pairing's new version.
create function public.set_pairing_goals(
  pairing_id uuid,
  term text,
  joint_lessons_planned integer,
  subjects text[],
  expected_version integer
) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  actor uuid := (select auth.uid());
  pairing public.pairings;
  previous public.pairing_goals;
  clean_subjects text[];
  new_version integer;
begin
  select * into pairing from public.pairings where id = set_pairing_goals.pairing_id for update;
  if not found or actor is null
     or not (private.coordinates_school(pairing.school_a_id) or private.coordinates_school(pairing.school_b_id)) then
    raise exception 'not allowed to set the goals of this pairing' using errcode = '42501';
  end if;
  if set_pairing_goals.expected_version is null then
    raise exception 'expected_version is required' using errcode = 'TK425';
  end if;
  if pairing.version <> set_pairing_goals.expected_version then
    raise exception 'pairing % changed: version % expected, % found',
      pairing.id, set_pairing_goals.expected_version, pairing.version using errcode = 'TK409';
  end if;
  if pairing.status in ('ended', 'declined', 'withdrawn') then
    raise exception 'cannot set the goals of a % pairing', pairing.status using errcode = 'TK422';
  end if;

  clean_subjects := array(
    select s from unnest(set_pairing_goals.subjects) with ordinality as u(s, i) group by s order by min(i)
  );
  select * into previous from public.pairing_goals g
  where g.pairing_id = pairing.id and g.term = set_pairing_goals.term;

  begin
    insert into public.pairing_goals (pairing_id, term, joint_lessons_planned, subjects)
    values (pairing.id, set_pairing_goals.term, set_pairing_goals.joint_lessons_planned, clean_subjects)
    on conflict on constraint pairing_goals_pairing_id_term_unique do update
      set joint_lessons_planned = excluded.joint_lessons_planned, subjects = excluded.subjects;
  exception when check_violation or not_null_violation then
    raise exception 'invalid pairing goals: %', sqlerrm using errcode = 'TK425';
  end;

  insert into public.pairing_events (pairing_id, kind, actor_id, data)
  values (
    pairing.id,
    'goals_updated',
    actor,
    jsonb_build_object(
      'term', set_pairing_goals.term,
      'joint_lessons_planned', set_pairing_goals.joint_lessons_planned,
      'subjects', to_jsonb(clean_subjects),
      'previous', case when previous.id is null then null else jsonb_build_object(
        'joint_lessons_planned', previous.joint_lessons_planned,
        'subjects', to_jsonb(previous.subjects)
      ) end
    )
  );

  update public.pairings set version = pairing.version + 1
  where id = pairing.id
  returning version into new_version;

  return new_version;
end
$$;

revoke all on function
  public.propose_pairing(uuid, uuid, text, integer, text[], text),
  public.transition_pairing(uuid, text, text, integer),
  public.set_pairing_goals(uuid, text, integer, text[], integer)
from public, anon, authenticated, service_role;
grant execute on function
  public.propose_pairing(uuid, uuid, text, integer, text[], text),
  public.transition_pairing(uuid, text, text, integer),
  public.set_pairing_goals(uuid, text, integer, text[], integer)
to authenticated;

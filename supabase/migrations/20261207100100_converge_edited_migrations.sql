-- Brings databases created before the lesson-plans and live-sessions migrations were last
-- edited to what those migrations define today. An applied migration never runs again, so
-- a database that applied an earlier text of 20261129100100_lesson_plans.sql or
-- 20261130000100_live_sessions.sql kept its old checks, function bodies, grants, triggers
-- and policies (tests/db/migrations-immutable.test.ts upgrades from each earlier text and
-- compares with a fresh database). Every statement below restates today's definition and
-- is idempotent: on a database that is already current it changes nothing.
--
-- From here on landed migrations are never edited (their checksums are recorded in
-- tests/fixtures/migrations/checksums.json); a fix is a new migration like this one.

-- Lesson plans: titles and version names are trimmed of tabs, line breaks and the
-- full-width space too.
alter table public.lesson_plans drop constraint lesson_plans_title_check;
alter table public.lesson_plans add constraint lesson_plans_title_check
  check (char_length(btrim(title, E' \t\n\r\u00a0\u3000')) between 1 and 200);
alter table public.lesson_plan_versions drop constraint lesson_plan_versions_name_check;
alter table public.lesson_plan_versions add constraint lesson_plan_versions_name_check
  check (char_length(btrim(name, E' \t\n\r\u00a0\u3000')) between 1 and 100);

-- Losing a coordinator scope or the platform admin role is announced too (it was a
-- membership only, through private.announce_membership_removed).
drop trigger if exists announce_lesson_plan_access on public.school_memberships;
drop trigger if exists announce_lesson_plan_access on public.coordinator_scopes;
drop trigger if exists announce_lesson_plan_access on public.platform_admins;
drop function if exists private.announce_membership_removed();

-- The triggers are security definer: a member leaving a school deletes their membership as
-- authenticated, which may not call announce_lesson_plan_access itself.
create or replace function private.announce_pairing_status_change() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    perform private.announce_lesson_plan_access(jsonb_build_object('pairing_id', new.id));
  end if;
  return new;
end
$$;

-- A membership, a coordinator scope or a platform admin role removed: the user's access may be gone.
create or replace function private.announce_role_removed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.announce_lesson_plan_access(jsonb_build_object('user_id', old.user_id));
  return old;
end
$$;

revoke all on function private.announce_pairing_status_change(), private.announce_role_removed()
from public, anon, authenticated;

create trigger announce_lesson_plan_access
  after delete on public.school_memberships
  for each row execute function private.announce_role_removed();

create trigger announce_lesson_plan_access
  after delete on public.coordinator_scopes
  for each row execute function private.announce_role_removed();

create trigger announce_lesson_plan_access
  after delete on public.platform_admins
  for each row execute function private.announce_role_removed();

-- Creates a plan with its first document (the template, built by the app server). The
-- caller teaches at one of the two schools of an active pairing.
create or replace function public.create_lesson_plan(
  pairing_id uuid,
  title text,
  subject text,
  grade integer,
  textbook_unit text,
  periods integer,
  language text,
  lead_author_id uuid,
  coauthor_ids uuid[],
  state bytea,
  content_json jsonb,
  content_text text
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  pairing public.pairings;
  plan_id uuid;
begin
  select * into pairing from public.pairings where id = create_lesson_plan.pairing_id;
  if not found or actor is null
     or not (private.is_school_member(pairing.school_a_id) or private.is_school_member(pairing.school_b_id)) then
    raise exception 'not allowed to write lesson plans in this pairing' using errcode = '42501';
  end if;
  if pairing.status <> 'active' then
    raise exception 'lesson plans are written in active pairings; this one is %', pairing.status using errcode = 'TK422';
  end if;
  if state is null or content_json is null then
    raise exception 'a lesson plan starts with a document' using errcode = 'TK425';
  end if;
  perform private.check_lesson_plan_authors(pairing.id, coalesce(create_lesson_plan.lead_author_id, actor), coauthor_ids);

  insert into public.lesson_plans (pairing_id, title, subject, grade, textbook_unit, periods, language,
                                   lead_author_id, created_by)
  values (pairing.id, btrim(create_lesson_plan.title, E' \t\n\r\u00a0\u3000'), create_lesson_plan.subject, create_lesson_plan.grade,
          nullif(btrim(create_lesson_plan.textbook_unit, E' \t\n\r\u00a0\u3000'), ''), coalesce(create_lesson_plan.periods, 1),
          coalesce(create_lesson_plan.language, 'zh-CN'), coalesce(create_lesson_plan.lead_author_id, actor), actor)
  returning id into plan_id;

  insert into public.lesson_plan_coauthors (plan_id, user_id, added_by)
  select distinct plan_id, u, actor from unnest(coalesce(coauthor_ids, '{}')) as u
  where u <> coalesce(create_lesson_plan.lead_author_id, actor);

  insert into public.lesson_plan_documents (plan_id, state, content_json, content_text, state_hash)
  values (plan_id, state, content_json, coalesce(content_text, ''),
          encode(sha256(state), 'hex'));

  insert into public.pairing_events (pairing_id, kind, actor_id, data)
  values (pairing.id, 'lesson_plan_created', actor,
          jsonb_build_object('plan_id', plan_id, 'title', btrim(create_lesson_plan.title, E' \t\n\r\u00a0\u3000')));
  return plan_id;
end
$$;

-- Edits the metadata and the co-authors. Only the lead author may hand the lead to someone
-- else. Returns the plan's new version.
create or replace function public.update_lesson_plan(
  plan_id uuid,
  expected_version integer,
  title text,
  subject text,
  grade integer,
  textbook_unit text,
  periods integer,
  lead_author_id uuid,
  coauthor_ids uuid[]
) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  plan public.lesson_plans;
  new_version integer;
  new_coauthors uuid[];
begin
  select * into plan from public.lesson_plans where id = update_lesson_plan.plan_id for update;
  if not found or actor is null or private.lesson_plan_access(plan.id) is distinct from 'edit' then
    if found and private.lesson_plan_access(plan.id) = 'read'
       and (plan.lead_author_id = actor
            or exists (select 1 from public.lesson_plan_coauthors c where c.plan_id = plan.id and c.user_id = actor)) then
      raise exception 'lesson plan % cannot be edited now', plan.id using errcode = 'TK422';
    end if;
    raise exception 'not allowed to edit this lesson plan' using errcode = '42501';
  end if;
  if update_lesson_plan.expected_version is null then
    raise exception 'expected_version is required' using errcode = 'TK425';
  end if;
  if plan.version <> update_lesson_plan.expected_version then
    raise exception 'lesson plan % changed: version % expected, % found',
      plan.id, update_lesson_plan.expected_version, plan.version using errcode = 'TK409';
  end if;
  if update_lesson_plan.lead_author_id is distinct from plan.lead_author_id and plan.lead_author_id <> actor then
    raise exception 'only the lead author can hand over the lead' using errcode = '42501';
  end if;
  perform private.check_lesson_plan_authors(plan.pairing_id, update_lesson_plan.lead_author_id, coauthor_ids);

  select coalesce(array_agg(distinct u), '{}') into new_coauthors
  from unnest(coalesce(coauthor_ids, '{}')) as u where u <> update_lesson_plan.lead_author_id;

  update public.lesson_plans
  set title = btrim(update_lesson_plan.title, E' \t\n\r\u00a0\u3000'),
      subject = update_lesson_plan.subject,
      grade = update_lesson_plan.grade,
      textbook_unit = nullif(btrim(update_lesson_plan.textbook_unit, E' \t\n\r\u00a0\u3000'), ''),
      periods = coalesce(update_lesson_plan.periods, 1),
      lead_author_id = update_lesson_plan.lead_author_id,
      version = plan.version + 1
  where id = plan.id
  returning version into new_version;

  delete from public.lesson_plan_coauthors c where c.plan_id = plan.id and c.user_id <> all (new_coauthors);
  insert into public.lesson_plan_coauthors (plan_id, user_id, added_by)
  select plan.id, u, actor from unnest(new_coauthors) as u
  on conflict do nothing;

  perform private.announce_lesson_plan_access(jsonb_build_object('plan_id', plan.id));
  return new_version;
end
$$;

-- Moves a plan through its workflow. submit: draft → in_review (any author); return:
-- in_review → draft, finalize: in_review → final (定稿, read-only from then on), archive:
-- final → archived (the lead author). Returns the plan's new version.
create or replace function public.transition_lesson_plan(
  plan_id uuid,
  action text,
  expected_version integer
) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  plan public.lesson_plans;
  pairing public.pairings;
  access text;
  is_lead boolean;
  next_status text;
  new_version integer;
begin
  select * into plan from public.lesson_plans where id = transition_lesson_plan.plan_id for update;
  if found then
    access := private.lesson_plan_access(plan.id);
    select * into pairing from public.pairings where id = plan.pairing_id;
  end if;
  is_lead := found and plan.lead_author_id = actor;
  if access is null or not (is_lead or exists (
       select 1 from public.lesson_plan_coauthors c where c.plan_id = plan.id and c.user_id = actor)) then
    raise exception 'not allowed to move this lesson plan' using errcode = '42501';
  end if;
  if transition_lesson_plan.action is null
     or transition_lesson_plan.action not in ('submit', 'return', 'finalize', 'archive') then
    raise exception 'unknown lesson plan action %', coalesce(transition_lesson_plan.action, 'null') using errcode = 'TK425';
  end if;
  if transition_lesson_plan.expected_version is null then
    raise exception 'expected_version is required' using errcode = 'TK425';
  end if;
  if plan.version <> transition_lesson_plan.expected_version then
    raise exception 'lesson plan % changed: version % expected, % found',
      plan.id, transition_lesson_plan.expected_version, plan.version using errcode = 'TK409';
  end if;
  next_status := case plan.status || ':' || transition_lesson_plan.action
    when 'draft:submit' then 'in_review'
    when 'in_review:return' then 'draft'
    when 'in_review:finalize' then 'final'
    when 'final:archive' then 'archived'
  end;
  if next_status is null or pairing.status <> 'active' then
    raise exception 'cannot % a % lesson plan in a % pairing', transition_lesson_plan.action, plan.status, pairing.status
      using errcode = 'TK422';
  end if;
  if transition_lesson_plan.action <> 'submit' and not is_lead then
    raise exception 'only the lead author can % the plan', transition_lesson_plan.action using errcode = '42501';
  end if;

  update public.lesson_plans set status = next_status, version = plan.version + 1
  where id = plan.id
  returning version into new_version;

  insert into public.pairing_events (pairing_id, kind, actor_id, data)
  values (plan.pairing_id,
          case transition_lesson_plan.action
            when 'submit' then 'lesson_plan_submitted'
            when 'return' then 'lesson_plan_returned'
            when 'finalize' then 'lesson_plan_finalized'
            else 'lesson_plan_archived'
          end,
          actor,
          jsonb_build_object('plan_id', plan.id, 'title', plan.title, 'from', plan.status, 'to', next_status));

  perform private.announce_lesson_plan_access(jsonb_build_object('plan_id', plan.id));
  return new_version;
end
$$;

-- 复备: a personal adaptation of a final plan — a new draft led by the caller, starting
-- from the base's document and linked to it.
create or replace function public.adapt_lesson_plan(base_plan_id uuid) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  base public.lesson_plans;
  pairing public.pairings;
  new_plan_id uuid;
begin
  select * into base from public.lesson_plans where id = adapt_lesson_plan.base_plan_id;
  if not found or actor is null or private.lesson_plan_access(base.id) is null
     or not private.is_pairing_member(base.pairing_id, actor) then
    raise exception 'not allowed to adapt this lesson plan' using errcode = '42501';
  end if;
  select * into pairing from public.pairings where id = base.pairing_id;
  if base.status <> 'final' or pairing.status <> 'active' then
    raise exception 'only final plans of an active pairing can be adapted; this one is % in a % pairing',
      base.status, pairing.status using errcode = 'TK422';
  end if;

  insert into public.lesson_plans (pairing_id, base_plan_id, title, subject, grade, textbook_unit, periods,
                                   language, lead_author_id, created_by)
  values (base.pairing_id, base.id, base.title, base.subject, base.grade, base.textbook_unit, base.periods,
          base.language, actor, actor)
  returning id into new_plan_id;

  insert into public.lesson_plan_documents (plan_id, state, content_json, content_text, state_hash)
  select new_plan_id, d.state, d.content_json, d.content_text, d.state_hash
  from public.lesson_plan_documents d where d.plan_id = base.id;

  insert into public.pairing_events (pairing_id, kind, actor_id, data)
  values (base.pairing_id, 'lesson_plan_adapted', actor,
          jsonb_build_object('plan_id', new_plan_id, 'base_plan_id', base.id, 'title', base.title));
  return new_plan_id;
end
$$;

-- Keeps a named version of the document as the collaboration server has it now.
create or replace function public.save_lesson_plan_version(
  plan_id uuid,
  name text,
  state bytea,
  content_json jsonb,
  content_text text
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  plan public.lesson_plans;
  version_id uuid;
begin
  select * into plan from public.lesson_plans where id = save_lesson_plan_version.plan_id;
  if not found or actor is null or private.lesson_plan_access(plan.id) is distinct from 'edit' then
    if found and private.lesson_plan_access(plan.id) = 'read'
       and (plan.lead_author_id = actor
            or exists (select 1 from public.lesson_plan_coauthors c where c.plan_id = plan.id and c.user_id = actor)) then
      raise exception 'lesson plan % cannot be edited now', plan.id using errcode = 'TK422';
    end if;
    raise exception 'not allowed to save versions of this lesson plan' using errcode = '42501';
  end if;
  if state is null or content_json is null then
    raise exception 'a version needs the document' using errcode = 'TK425';
  end if;
  insert into public.lesson_plan_versions (plan_id, name, state, content_json, content_text, created_by)
  values (plan.id, btrim(save_lesson_plan_version.name, E' \t\n\r\u00a0\u3000'), state, content_json, coalesce(content_text, ''), actor)
  returning id into version_id;

  insert into public.pairing_events (pairing_id, kind, actor_id, data)
  values (plan.pairing_id, 'lesson_plan_version_saved', actor,
          jsonb_build_object('plan_id', plan.id, 'version_id', version_id, 'name', btrim(save_lesson_plan_version.name, E' \t\n\r\u00a0\u3000')));
  return version_id;
end
$$;

-- Records that an editor restores a version; the app server then applies it to the live
-- document as a new change, so no history is lost.
create or replace function public.record_lesson_plan_restore(plan_id uuid, version_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  plan public.lesson_plans;
  version public.lesson_plan_versions;
begin
  select * into plan from public.lesson_plans where id = record_lesson_plan_restore.plan_id;
  if not found or actor is null or private.lesson_plan_access(plan.id) is distinct from 'edit' then
    if found and private.lesson_plan_access(plan.id) = 'read'
       and (plan.lead_author_id = actor
            or exists (select 1 from public.lesson_plan_coauthors c where c.plan_id = plan.id and c.user_id = actor)) then
      raise exception 'lesson plan % cannot be edited now', plan.id using errcode = 'TK422';
    end if;
    raise exception 'not allowed to restore versions of this lesson plan' using errcode = '42501';
  end if;
  select * into version from public.lesson_plan_versions v
  where v.id = record_lesson_plan_restore.version_id and v.plan_id = plan.id;
  if not found then
    raise exception 'no such version of this plan' using errcode = 'TK425';
  end if;
  insert into public.pairing_events (pairing_id, kind, actor_id, data)
  values (plan.pairing_id, 'lesson_plan_version_restored', actor,
          jsonb_build_object('plan_id', plan.id, 'version_id', version.id, 'name', version.name));
end
$$;

revoke all on function
  public.create_lesson_plan(uuid, text, text, integer, text, integer, text, uuid, uuid[], bytea, jsonb, text),
  public.update_lesson_plan(uuid, integer, text, text, integer, text, integer, uuid, uuid[]),
  public.transition_lesson_plan(uuid, text, integer),
  public.adapt_lesson_plan(uuid),
  public.save_lesson_plan_version(uuid, text, bytea, jsonb, text),
  public.record_lesson_plan_restore(uuid, uuid)
from public, anon, authenticated, service_role;
grant execute on function
  public.create_lesson_plan(uuid, text, text, integer, text, integer, text, uuid, uuid[], bytea, jsonb, text),
  public.update_lesson_plan(uuid, integer, text, text, integer, text, integer, uuid, uuid[]),
  public.transition_lesson_plan(uuid, text, integer),
  public.adapt_lesson_plan(uuid),
  public.save_lesson_plan_version(uuid, text, bytea, jsonb, text),
  public.record_lesson_plan_restore(uuid, uuid)
to authenticated;

-- Live sessions: the webhook handler's door into private, as service_role.
grant usage on schema private to service_role;
grant select, insert on table private.livekit_webhook_events to service_role;

-- The class's teachers hear about classes scheduled, moved or cancelled with their classrooms.
alter table public.notifications drop constraint notifications_kind_check;
alter table public.notifications add constraint notifications_kind_check check (kind in (
  'pairing_proposed', 'pairing_requested', 'pairing_accepted', 'pairing_declined',
  'pairing_withdrawn', 'pairing_paused', 'pairing_resumed', 'pairing_ended',
  'school_membership_added',
  'live_session_scheduled', 'live_session_rescheduled', 'live_session_cancelled'
));

-- Notifies a session's teachers (main and receiving), except whoever acted.
create or replace function private.notify_session_teachers(target_session_id uuid, kind text, data jsonb) returns void
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
create or replace function private.live_session_role_of(target_session_id uuid, target_user_id uuid) returns text
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

create or replace function private.live_session_role(target_session_id uuid) returns text
language sql stable security definer set search_path = ''
as $$
  select private.live_session_role_of(target_session_id, (select auth.uid()))
$$;

-- Where a user sits in a session: their role, and the school and classroom they join for
-- (the main classroom, their receiving classroom; an observer's school, none for
-- coordinators). What the join token's metadata and the attendance rows carry.
create or replace function private.live_session_seat_of(target_session_id uuid, target_user_id uuid)
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

create or replace function private.live_session_seat(target_session_id uuid)
returns table (role text, school_id uuid, classroom_id uuid)
language sql stable security definer set search_path = ''
as $$
  select * from private.live_session_seat_of(target_session_id, (select auth.uid()))
$$;

-- Reading: whoever has a role, both schools' members while the pairing is paused, and the
-- class's own teachers while they belong to one of the two schools, whatever the pairing's
-- state (as a plan's authors keep reading it: their reflections stay theirs).
create or replace function private.can_read_live_session(target_session_id uuid) returns boolean
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
create or replace function private.can_manage_live_session(target_session_id uuid) returns boolean
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
create or replace function private.live_session_clash(
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
create or replace function private.lock_bookings(ids uuid[]) returns void
language sql volatile set search_path = ''
as $$
  select pg_advisory_xact_lock(hashtextextended(id::text, 7)) from (select distinct unnest(ids) as id order by 1) ids
$$;

create or replace function private.refuse_live_session_change_row() returns trigger
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


-- Checks shared by scheduling and rescheduling: every occurrence in the future, at most 4
-- hours long, and no classroom or teacher booked twice.
create or replace function private.check_live_session_times(
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
create or replace function public.schedule_live_session(
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
create or replace function public.reschedule_live_session(
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

create or replace function public.cancel_live_session(session_id uuid, reason text, note text) returns void
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
create or replace function public.record_live_session_headcount(session_id uuid, classroom_id uuid, headcount integer) returns void
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
create or replace function private.valid_observation_rubric(rubric jsonb) returns boolean
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
create or replace function public.submit_live_session_observation(session_id uuid, rubric jsonb, notes text) returns uuid
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
create or replace function public.save_live_session_reflection(session_id uuid, body text) returns void
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
create or replace function private.can_read_pairing_classrooms(target_school_id uuid) returns boolean
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

-- The classrooms policy reads through can_read_pairing_classrooms (coordinators too), no
-- longer through shares_active_pairing_with.
drop policy if exists "Members of an active pairing can read both schools' classrooms" on public.classrooms;
drop function if exists private.shares_active_pairing_with(uuid);
drop policy if exists "A pairing's members and coordinators can read both schools' classrooms" on public.classrooms;
create policy "A pairing's members and coordinators can read both schools' classrooms"
  on public.classrooms for select to authenticated
  using (private.can_read_pairing_classrooms(school_id));

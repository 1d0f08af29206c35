-- Lesson plans (教案) of a pairing: the plan and its metadata, its co-authors, its
-- collaborative document (the Yjs state Hocuspocus stores, with the tiptap JSON and plain
-- text derived from it for search, export and server-rendered views) and its named versions.
--
-- As with pairings, authenticated has select only. Plans are created, edited, moved
-- through draft → in_review → final → archived, adapted (复备) and versioned by the
-- security definer functions below, which check the caller's access and write the plan, its
-- activity event and the access notification together. The document itself is written by
-- the collaboration server (system work) for connections it has authenticated.
--
-- Who may do what (private.lesson_plan_access):
--   edit  the lead author (主备人) and co-authors, while they belong to one of the pairing's
--         schools, the pairing is active and the plan is a draft or in review;
--   read  the authors while they belong to one of the two schools; every teacher and school
--         admin of both schools while the pairing is active or paused; the coordinators of
--         both regions and platform admins, always.
--
-- Errors (app/lesson-plans/errors.ts names them): 42501 not allowed (also: no such plan),
-- TK409 stale expected_version, TK422 illegal for the plan's or pairing's state (an author
-- editing a plan that is final, or whose pairing is not active, hears this rather than
-- 42501), TK425 bad input (an author who is not in the pairing, an unknown action, no
-- expected_version, no document, a version of another plan), 23514 a value the tables'
-- checks refuse (a blank or too long title or version name, an unknown subject or language,
-- a grade outside 1–12). TK405: versions are never updated, by anyone.
--
-- Titles and names are trimmed of spaces, tabs, line breaks and the full-width space of
-- Chinese input; one made of those alone is blank.
--
-- Access changes (a co-author removed, a status change, a pairing paused or ended, a member
-- leaving a school, a coordinator or platform admin losing the role) are announced on the
-- channel tongke_lesson_plan_access, when the change commits; the collaboration server
-- listens and re-checks or closes the connections concerned.

create table public.lesson_plans (
  id uuid primary key default gen_random_uuid(),
  pairing_id uuid not null
    constraint lesson_plans_pairing_id_pairings_id_fk references public.pairings (id) on delete no action,
  -- An adaptation (复备) points at the final plan it was adapted from.
  base_plan_id uuid
    constraint lesson_plans_base_plan_id_lesson_plans_id_fk references public.lesson_plans (id) on delete no action,
  title text not null
    constraint lesson_plans_title_check check (char_length(btrim(title, E' \t\n\r\u00a0\u3000')) between 1 and 200),
  subject text not null
    constraint lesson_plans_subject_check check (subject in (
      'chinese', 'math', 'english', 'science', 'music', 'art', 'pe', 'ethics', 'it',
      'tibetan', 'history', 'geography', 'physics', 'chemistry', 'biology', 'other'
    )),
  grade smallint not null
    constraint lesson_plans_grade_check check (grade between 1 and 12),
  textbook_unit text
    constraint lesson_plans_textbook_unit_check check (char_length(textbook_unit) <= 200),
  periods smallint not null default 1
    constraint lesson_plans_periods_check check (periods between 1 and 10),
  -- The language the template's headings were written in.
  language text not null default 'zh-CN'
    constraint lesson_plans_language_check check (language in ('zh-CN', 'bo', 'en')),
  status text not null default 'draft'
    constraint lesson_plans_status_check check (status in ('draft', 'in_review', 'final', 'archived')),
  lead_author_id uuid not null
    constraint lesson_plans_lead_author_id_profiles_id_fk references public.profiles (id) on delete no action,
  created_by uuid not null
    constraint lesson_plans_created_by_profiles_id_fk references public.profiles (id) on delete no action,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index lesson_plans_pairing_id_updated_at_idx on public.lesson_plans (pairing_id, updated_at desc);
create index lesson_plans_base_plan_id_idx on public.lesson_plans (base_plan_id) where base_plan_id is not null;
create index lesson_plans_lead_author_id_idx on public.lesson_plans (lead_author_id);
create index lesson_plans_title_trgm_idx on public.lesson_plans using gin (title extensions.gin_trgm_ops);

create table public.lesson_plan_coauthors (
  plan_id uuid not null
    constraint lesson_plan_coauthors_plan_id_lesson_plans_id_fk references public.lesson_plans (id) on delete cascade,
  user_id uuid not null
    constraint lesson_plan_coauthors_user_id_profiles_id_fk references public.profiles (id) on delete no action,
  added_by uuid
    constraint lesson_plan_coauthors_added_by_profiles_id_fk references public.profiles (id) on delete no action,
  added_at timestamptz not null default now(),
  constraint lesson_plan_coauthors_pkey primary key (plan_id, user_id)
);
create index lesson_plan_coauthors_user_id_idx on public.lesson_plan_coauthors (user_id);

create table public.lesson_plan_documents (
  plan_id uuid primary key
    constraint lesson_plan_documents_plan_id_lesson_plans_id_fk references public.lesson_plans (id) on delete cascade,
  -- Y.encodeStateAsUpdate of the document; content_json and content_text are derived from it.
  state bytea not null,
  content_json jsonb not null,
  content_text text not null default '',
  -- sha256 of state: a store that would write the same state is skipped.
  state_hash text not null,
  updated_at timestamptz not null default now()
);
create index lesson_plan_documents_content_text_trgm_idx
  on public.lesson_plan_documents using gin (content_text extensions.gin_trgm_ops);

create table public.lesson_plan_versions (
  id uuid primary key default gen_random_uuid(),
  plan_id uuid not null
    constraint lesson_plan_versions_plan_id_lesson_plans_id_fk references public.lesson_plans (id) on delete cascade,
  name text not null
    constraint lesson_plan_versions_name_check check (char_length(btrim(name, E' \t\n\r\u00a0\u3000')) between 1 and 100),
  state bytea not null,
  content_json jsonb not null,
  content_text text not null default '',
  created_by uuid not null
    constraint lesson_plan_versions_created_by_profiles_id_fk references public.profiles (id) on delete no action,
  created_at timestamptz not null default now()
);
create index lesson_plan_versions_plan_id_created_at_idx on public.lesson_plan_versions (plan_id, created_at desc);

-- The activity log learns the lesson-plan kinds (the dashboard counts lesson_plan_created).
alter table public.pairing_events drop constraint pairing_events_kind_check;
alter table public.pairing_events add constraint pairing_events_kind_check check (kind in (
  'requested', 'proposed', 'forwarded', 'accepted', 'declined', 'withdrawn',
  'paused', 'resumed', 'ended', 'goals_updated',
  'lesson_plan_created', 'lesson_plan_adapted', 'lesson_plan_submitted', 'lesson_plan_returned',
  'lesson_plan_finalized', 'lesson_plan_archived', 'lesson_plan_version_saved', 'lesson_plan_version_restored'
));

-- 'edit', 'read' or null (no access, or no such plan), for the signed-in user.
create function private.lesson_plan_access(target_plan_id uuid) returns text
language sql stable security definer set search_path = ''
as $$
  with plan as (
    select lp.id, lp.status as plan_status, pr.status as pairing_status, pr.school_a_id, pr.school_b_id,
           (lp.lead_author_id = (select auth.uid())
             or exists (select 1 from public.lesson_plan_coauthors c
                        where c.plan_id = lp.id and c.user_id = (select auth.uid()))) as is_author
    from public.lesson_plans lp
    join public.pairings pr on pr.id = lp.pairing_id
    where lp.id = target_plan_id
  ), facts as (
    select plan.*,
           private.is_school_member(plan.school_a_id) or private.is_school_member(plan.school_b_id) as is_member
    from plan
  )
  select case
    when is_author and is_member and pairing_status = 'active' and plan_status in ('draft', 'in_review') then 'edit'
    when is_member and (is_author or pairing_status in ('active', 'paused')) then 'read'
    when private.coordinates_school(school_a_id) or private.coordinates_school(school_b_id)
      or private.is_platform_admin() then 'read'
  end
  from facts
$$;

-- Whether a user (not the caller) teaches or administers at one of the pairing's schools.
create function private.is_pairing_member(target_pairing_id uuid, target_user_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.pairings p
    join public.school_memberships m on m.school_id in (p.school_a_id, p.school_b_id)
    where p.id = target_pairing_id and m.user_id = target_user_id
  )
$$;

create function private.announce_lesson_plan_access(payload jsonb) returns void
language sql volatile set search_path = ''
as $$
  select pg_notify('tongke_lesson_plan_access', payload::text)
$$;

-- The triggers are security definer: a member leaving a school deletes their membership as
-- authenticated, which may not call announce_lesson_plan_access itself.
create function private.announce_pairing_status_change() returns trigger
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
create function private.announce_role_removed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.announce_lesson_plan_access(jsonb_build_object('user_id', old.user_id));
  return old;
end
$$;

create function private.refuse_lesson_plan_version_change() returns trigger
language plpgsql set search_path = ''
as $$
begin
  raise exception 'lesson plan versions are kept: % refused', lower(tg_op) using errcode = 'TK405';
end
$$;

revoke all on function
  private.lesson_plan_access(uuid),
  private.is_pairing_member(uuid, uuid),
  private.announce_lesson_plan_access(jsonb),
  private.announce_pairing_status_change(),
  private.announce_role_removed(),
  private.refuse_lesson_plan_version_change()
from public, anon, authenticated;
grant execute on function private.lesson_plan_access(uuid) to authenticated;

create trigger announce_lesson_plan_access
  after update of status on public.pairings
  for each row execute function private.announce_pairing_status_change();

create trigger announce_lesson_plan_access
  after delete on public.school_memberships
  for each row execute function private.announce_role_removed();

create trigger announce_lesson_plan_access
  after delete on public.coordinator_scopes
  for each row execute function private.announce_role_removed();

create trigger announce_lesson_plan_access
  after delete on public.platform_admins
  for each row execute function private.announce_role_removed();

create trigger set_updated_at
  before update on public.lesson_plans
  for each row execute function private.set_updated_at();

create trigger refuse_lesson_plan_version_change
  before update on public.lesson_plan_versions
  for each row execute function private.refuse_lesson_plan_version_change();

-- Row-level security: read through private.lesson_plan_access, write through the functions.

alter table public.lesson_plans enable row level security;
alter table public.lesson_plan_coauthors enable row level security;
alter table public.lesson_plan_documents enable row level security;
alter table public.lesson_plan_versions enable row level security;
revoke all on table public.lesson_plans, public.lesson_plan_coauthors, public.lesson_plan_documents,
  public.lesson_plan_versions from anon, authenticated;
grant select on table public.lesson_plans, public.lesson_plan_coauthors, public.lesson_plan_documents,
  public.lesson_plan_versions to authenticated;

create policy "Authors, both schools and both coordinators can read the plan"
  on public.lesson_plans for select to authenticated
  using (private.lesson_plan_access(id) is not null);

create policy "Whoever can read the plan can read its co-authors"
  on public.lesson_plan_coauthors for select to authenticated
  using (private.lesson_plan_access(plan_id) is not null);

create policy "Whoever can read the plan can read its document"
  on public.lesson_plan_documents for select to authenticated
  using (private.lesson_plan_access(plan_id) is not null);

create policy "Whoever can read the plan can read its versions"
  on public.lesson_plan_versions for select to authenticated
  using (private.lesson_plan_access(plan_id) is not null);

-- Checks shared by create and update: the lead author and every co-author belong to one of
-- the pairing's schools.
create function private.check_lesson_plan_authors(target_pairing_id uuid, lead uuid, coauthors uuid[]) returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  outsider uuid;
begin
  if lead is null or not private.is_pairing_member(target_pairing_id, lead) then
    raise exception 'the lead author must teach at one of the pairing''s schools' using errcode = 'TK425';
  end if;
  select u into outsider from unnest(coalesce(coauthors, '{}')) as u
  where u is null or not private.is_pairing_member(target_pairing_id, u)
  limit 1;
  if found then
    raise exception 'co-author % does not teach at one of the pairing''s schools', outsider using errcode = 'TK425';
  end if;
  if cardinality(coauthors) > 20 then
    raise exception 'at most 20 co-authors' using errcode = 'TK425';
  end if;
end
$$;
revoke all on function private.check_lesson_plan_authors(uuid, uuid, uuid[]) from public, anon, authenticated;

-- Creates a plan with its first document (the template, built by the app server). The
-- caller teaches at one of the two schools of an active pairing.
create function public.create_lesson_plan(
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
create function public.update_lesson_plan(
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
create function public.transition_lesson_plan(
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
create function public.adapt_lesson_plan(base_plan_id uuid) returns uuid
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
create function public.save_lesson_plan_version(
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
create function public.record_lesson_plan_restore(plan_id uuid, version_id uuid) returns void
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

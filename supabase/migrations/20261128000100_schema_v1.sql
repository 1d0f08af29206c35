-- Regions, schools, people and their roles, classrooms: the tables of app/db/schema.ts,
-- each with its row-level security, grants, policies and the indexes the policies use.
-- Runs unchanged on Supabase, PGlite and PostgreSQL 15+.
--
-- Grants: the default privileges (Supabase's and supabase/local/bootstrap.sql's) give
-- anon and authenticated everything on new tables in public. Each table takes that back
-- and grants authenticated only the statements its policies allow; anon gets nothing.

-- Helpers for policies live here: not exposed through the API, callable only by
-- authenticated (policies run their functions with the caller's privileges).
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated;

-- The tables the helpers read are created first, the helpers next (SQL functions check
-- their bodies at creation), then the policies.

create table public.regions (
  id uuid primary key default gen_random_uuid(),
  code text not null constraint regions_code_unique unique,
  name_zh text not null,
  name_bo text,
  name_en text,
  province_zh text,
  created_at timestamptz not null default now()
);

create table public.schools (
  id uuid primary key default gen_random_uuid(),
  region_id uuid not null
    constraint schools_region_id_regions_id_fk references public.regions (id) on delete restrict,
  name_zh text not null,
  name_bo text,
  name_en text,
  stage text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint schools_region_id_name_zh_unique unique (region_id, name_zh),
  constraint schools_stage_check check (stage in ('primary', 'middle', 'high', 'vocational'))
);

create table public.profiles (
  id uuid primary key
    constraint profiles_id_users_id_fk references auth.users (id) on delete cascade,
  display_name text not null
    constraint profiles_display_name_check check (char_length(btrim(display_name)) between 1 and 80),
  preferred_language text not null default 'zh-CN'
    constraint profiles_preferred_language_check check (preferred_language in ('zh-CN', 'bo', 'en')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.school_memberships (
  id uuid primary key default gen_random_uuid(),
  school_id uuid not null
    constraint school_memberships_school_id_schools_id_fk references public.schools (id) on delete cascade,
  user_id uuid not null
    constraint school_memberships_user_id_profiles_id_fk references public.profiles (id) on delete cascade,
  role text not null
    constraint school_memberships_role_check check (role in ('teacher', 'school_admin')),
  created_at timestamptz not null default now(),
  created_by uuid default auth.uid(),
  constraint school_memberships_school_id_user_id_role_unique unique (school_id, user_id, role)
);
-- "Which schools is this user in": every membership check starts from the user.
create index school_memberships_user_id_school_id_idx on public.school_memberships (user_id, school_id);

create table public.coordinator_scopes (
  id uuid primary key default gen_random_uuid(),
  region_id uuid not null
    constraint coordinator_scopes_region_id_regions_id_fk references public.regions (id) on delete cascade,
  user_id uuid not null
    constraint coordinator_scopes_user_id_profiles_id_fk references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  created_by uuid default auth.uid(),
  constraint coordinator_scopes_region_id_user_id_unique unique (region_id, user_id)
);
create index coordinator_scopes_user_id_region_id_idx on public.coordinator_scopes (user_id, region_id);

create table public.platform_admins (
  user_id uuid primary key
    constraint platform_admins_user_id_profiles_id_fk references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  created_by uuid default auth.uid()
);

create table public.classrooms (
  id uuid primary key default gen_random_uuid(),
  school_id uuid not null
    constraint classrooms_school_id_schools_id_fk references public.schools (id) on delete cascade,
  name text not null,
  grade text,
  device_note text,
  created_at timestamptz not null default now(),
  constraint classrooms_school_id_name_unique unique (school_id, name)
);

-- Role checks. security definer: they read the role tables as their owner, so a policy on
-- school_memberships can ask about school_memberships without recursing into itself.

create function private.is_platform_admin() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.platform_admins where user_id = (select auth.uid()))
$$;

create function private.is_school_member(target_school_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.school_memberships
    where user_id = (select auth.uid()) and school_id = target_school_id
  )
$$;

create function private.is_school_admin(target_school_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.school_memberships
    where user_id = (select auth.uid()) and school_id = target_school_id and role = 'school_admin'
  )
$$;

create function private.coordinates_region(target_region_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.coordinator_scopes
    where user_id = (select auth.uid()) and region_id = target_region_id
  )
$$;

create function private.coordinates_school(target_school_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.schools s
    join public.coordinator_scopes c on c.region_id = s.region_id
    where s.id = target_school_id and c.user_id = (select auth.uid())
  )
$$;

create function private.can_manage_school(target_school_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.is_school_admin(target_school_id)
    or private.coordinates_school(target_school_id)
    or private.is_platform_admin()
$$;

-- Who may see whose name: colleagues of a school, the coordinators of the owner's
-- schools' regions, platform admins; coordinators are public within the portal.
create function private.can_see_profile(target_user_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select target_user_id = (select auth.uid())
    or private.is_platform_admin()
    or exists (select 1 from public.coordinator_scopes where user_id = target_user_id)
    or exists (
      select 1
      from public.school_memberships theirs
      join public.school_memberships mine on mine.school_id = theirs.school_id
      where theirs.user_id = target_user_id and mine.user_id = (select auth.uid())
    )
    or exists (
      select 1
      from public.school_memberships theirs
      join public.schools s on s.id = theirs.school_id
      join public.coordinator_scopes c on c.region_id = s.region_id
      where theirs.user_id = target_user_id and c.user_id = (select auth.uid())
    )
$$;

create function private.set_updated_at() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- Every account gets a profile, whoever creates it (Auth sign-up, an admin, the seed).
create function private.handle_new_user() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.profiles (id, display_name, preferred_language)
  values (
    new.id,
    left(coalesce(
      nullif(btrim(new.raw_user_meta_data ->> 'display_name'), ''),
      nullif(split_part(new.email, '@', 1), ''),
      'user'
    ), 80),
    case
      when new.raw_user_meta_data ->> 'preferred_language' in ('zh-CN', 'bo', 'en')
        then new.raw_user_meta_data ->> 'preferred_language'
      else 'zh-CN'
    end
  );
  return new;
end
$$;

revoke all on all functions in schema private from public, anon, authenticated;
grant execute on function
  private.is_platform_admin(),
  private.is_school_member(uuid),
  private.is_school_admin(uuid),
  private.coordinates_region(uuid),
  private.coordinates_school(uuid),
  private.can_manage_school(uuid),
  private.can_see_profile(uuid)
to authenticated;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_user();

create trigger set_updated_at
  before update on public.profiles
  for each row execute function private.set_updated_at();

create trigger set_updated_at
  before update on public.schools
  for each row execute function private.set_updated_at();

-- regions

alter table public.regions enable row level security;
revoke all on table public.regions from anon, authenticated;
grant select, insert, delete on table public.regions to authenticated;
grant update (code, name_zh, name_bo, name_en, province_zh) on table public.regions to authenticated;

create policy "Signed-in users can read the regions"
  on public.regions for select to authenticated
  using (true);

create policy "Platform admins can add regions"
  on public.regions for insert to authenticated
  with check ((select private.is_platform_admin()));

create policy "Platform admins can edit regions"
  on public.regions for update to authenticated
  using ((select private.is_platform_admin()))
  with check ((select private.is_platform_admin()));

create policy "Platform admins can remove regions"
  on public.regions for delete to authenticated
  using ((select private.is_platform_admin()));

-- schools

alter table public.schools enable row level security;
revoke all on table public.schools from anon, authenticated;
grant select, insert, delete on table public.schools to authenticated;
grant update (region_id, name_zh, name_bo, name_en, stage) on table public.schools to authenticated;

create policy "Signed-in users can read the school directory"
  on public.schools for select to authenticated
  using (true);

create policy "Platform admins and the region's coordinators can add schools"
  on public.schools for insert to authenticated
  with check ((select private.is_platform_admin()) or private.coordinates_region(region_id));

-- using sees the region before the change, with check the region after it: a coordinator
-- can neither edit another region's school nor move one of theirs away.
create policy "Platform admins and the region's coordinators can edit schools"
  on public.schools for update to authenticated
  using ((select private.is_platform_admin()) or private.coordinates_region(region_id))
  with check ((select private.is_platform_admin()) or private.coordinates_region(region_id));

create policy "Platform admins and the region's coordinators can remove schools"
  on public.schools for delete to authenticated
  using ((select private.is_platform_admin()) or private.coordinates_region(region_id));

-- profiles

alter table public.profiles enable row level security;
revoke all on table public.profiles from anon, authenticated;
grant select on table public.profiles to authenticated;
grant update (display_name, preferred_language) on table public.profiles to authenticated;

create policy "Users can read the profiles of people they work with"
  on public.profiles for select to authenticated
  using (private.can_see_profile(id));

create policy "Users can edit their own profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- school_memberships

alter table public.school_memberships enable row level security;
revoke all on table public.school_memberships from anon, authenticated;
grant select, insert, delete on table public.school_memberships to authenticated;
grant update (role) on table public.school_memberships to authenticated;

create policy "Members, coordinators and platform admins can read a school's memberships"
  on public.school_memberships for select to authenticated
  using (
    user_id = (select auth.uid())
    or private.is_school_member(school_id)
    or private.coordinates_school(school_id)
    or (select private.is_platform_admin())
  );

-- Nobody grants themselves a role, and created_by tells the truth.
create policy "School managers can add other people to the school"
  on public.school_memberships for insert to authenticated
  with check (
    user_id <> (select auth.uid())
    and created_by = (select auth.uid())
    and private.can_manage_school(school_id)
  );

create policy "School managers can change other people's roles"
  on public.school_memberships for update to authenticated
  using (private.can_manage_school(school_id))
  with check (user_id <> (select auth.uid()) and private.can_manage_school(school_id));

create policy "School managers can remove members and members can leave"
  on public.school_memberships for delete to authenticated
  using (user_id = (select auth.uid()) or private.can_manage_school(school_id));

-- coordinator_scopes

alter table public.coordinator_scopes enable row level security;
revoke all on table public.coordinator_scopes from anon, authenticated;
grant select, insert, delete on table public.coordinator_scopes to authenticated;

create policy "Signed-in users can see who coordinates each region"
  on public.coordinator_scopes for select to authenticated
  using (true);

create policy "Platform admins can appoint other people as coordinators"
  on public.coordinator_scopes for insert to authenticated
  with check (
    (select private.is_platform_admin())
    and user_id <> (select auth.uid())
    and created_by = (select auth.uid())
  );

create policy "Platform admins can remove other people's coordinator scopes"
  on public.coordinator_scopes for delete to authenticated
  using ((select private.is_platform_admin()) and user_id <> (select auth.uid()));

-- platform_admins

alter table public.platform_admins enable row level security;
revoke all on table public.platform_admins from anon, authenticated;
grant select, insert, delete on table public.platform_admins to authenticated;

create policy "Platform admins and the admin themself can read platform admins"
  on public.platform_admins for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

create policy "Platform admins can appoint other platform admins"
  on public.platform_admins for insert to authenticated
  with check (
    (select private.is_platform_admin())
    and user_id <> (select auth.uid())
    and created_by = (select auth.uid())
  );

create policy "Platform admins can remove other platform admins"
  on public.platform_admins for delete to authenticated
  using ((select private.is_platform_admin()) and user_id <> (select auth.uid()));

-- classrooms

alter table public.classrooms enable row level security;
revoke all on table public.classrooms from anon, authenticated;
grant select, insert, delete on table public.classrooms to authenticated;
grant update (name, grade, device_note) on table public.classrooms to authenticated;

create policy "Members, coordinators and platform admins can read a school's classrooms"
  on public.classrooms for select to authenticated
  using (
    private.is_school_member(school_id)
    or private.coordinates_school(school_id)
    or (select private.is_platform_admin())
  );

create policy "School managers can add classrooms"
  on public.classrooms for insert to authenticated
  with check (private.can_manage_school(school_id));

create policy "School managers can edit classrooms"
  on public.classrooms for update to authenticated
  using (private.can_manage_school(school_id))
  with check (private.can_manage_school(school_id));

create policy "School managers can remove classrooms"
  on public.classrooms for delete to authenticated
  using (private.can_manage_school(school_id));

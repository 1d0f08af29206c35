-- The lesson plans' update log: every change the collaboration server acknowledges is
-- appended here first (one row per change, or per batch written together), so an edit an
-- editor was told is saved survives a crash of the server. The debounced store compacts the
-- log into public.lesson_plan_documents (state, JSON, text) and deletes the rows it folded
-- in; loading a document merges the stored state with the rows still here.
-- Only the collaboration server reads and writes it (system work): no user role sees it.
create table private.lesson_plan_updates (
  id bigint generated always as identity primary key,
  plan_id uuid not null
    constraint lesson_plan_updates_plan_id_lesson_plans_id_fk references public.lesson_plans (id) on delete cascade,
  update bytea not null,
  received_at timestamptz not null default now()
);
create index lesson_plan_updates_plan_id_id_idx on private.lesson_plan_updates (plan_id, id);

alter table private.lesson_plan_updates enable row level security;
revoke all on table private.lesson_plan_updates from public, anon, authenticated;
grant select, insert, delete on table private.lesson_plan_updates to service_role;

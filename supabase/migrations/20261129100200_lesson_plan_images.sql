-- Images in lesson plans, kept in Supabase Storage (or the embedded Storage server, which
-- keeps the same storage.objects rows): the private bucket lesson-plan-images, one folder
-- per plan, named <plan id>/<random uuid>.<ext>.
--
-- Editors of the plan may add images and whoever can read the plan may view them
-- (private.lesson_plan_access). Images are immutable — a changed image is a new upload
-- under a new name — so there is no update or delete policy: neither is possible for users.
--
-- Only inserts and policies here: on Supabase the storage schema belongs to the Storage
-- service, and projects may add buckets and policies but not alter its tables.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('lesson-plan-images', 'lesson-plan-images', false, 5242880,
        array['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
on conflict (id) do nothing;

-- The folder is cast to uuid only once it looks like one: a malformed name is refused by
-- the policy, not by a cast error.
create policy "Editors of a lesson plan can upload its images"
  on storage.objects for insert to authenticated
  with check (
    bucket_id = 'lesson-plan-images'
    and case
      when (storage.foldername(name))[1] ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        then private.lesson_plan_access(((storage.foldername(name))[1])::uuid) = 'edit'
      else false
    end
  );

create policy "Readers of a lesson plan can view its images"
  on storage.objects for select to authenticated
  using (
    bucket_id = 'lesson-plan-images'
    and case
      when (storage.foldername(name))[1] ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        then private.lesson_plan_access(((storage.foldername(name))[1])::uuid) is not null
      else false
    end
  );

-- The directory searches school names by substring (ILIKE '%…%') in Chinese, Tibetan and
-- English; trigram indexes serve those searches as the number of schools grows.
create extension if not exists pg_trgm with schema extensions;

create index schools_name_zh_trgm_idx on public.schools using gin (name_zh extensions.gin_trgm_ops);
create index schools_name_bo_trgm_idx on public.schools using gin (name_bo extensions.gin_trgm_ops);
create index schools_name_en_trgm_idx on public.schools using gin (name_en extensions.gin_trgm_ops);

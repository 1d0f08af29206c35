import type { DbHandle } from "../../app/db/client.server";

const SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'supabase_migrations') and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'`;

/**
 * Everything a migration defines, as text that does not depend on object ids or creation
 * order: columns, constraints, indexes, functions with their bodies, settings and grants,
 * triggers, policies, row-level security, views, table and schema grants, enum labels.
 * Two databases with equal snapshots behave the same.
 */
export async function schemaSnapshot(handle: DbHandle): Promise<Record<string, string[]>> {
  const rows = async (query: string) => (await handle.query<{ line: string }>(query)).map((r) => r.line).sort();
  return {
    columns: await rows(`
      select format('%s.%s.%s %s%s%s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                    case when a.attnotnull then ' not null' else '' end,
                    coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')) as line
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where ${SCHEMAS} and c.relkind in ('r', 'p', 'v', 'm') and a.attnum > 0 and not a.attisdropped`),
    constraints: await rows(`
      select format('%s.%s %s: %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid)) as line
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
      where ${SCHEMAS}`),
    indexes: await rows(
      `select indexdef as line from pg_indexes n where n.schemaname not in ('pg_catalog', 'information_schema', 'supabase_migrations')`,
    ),
    functions: await rows(`
      select format('%s.%s(%s) acl=%s%s', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),
                    coalesce(p.proacl::text, 'default'),
                    case when p.prokind = 'f' or p.prokind = 'p' then E'\n' || pg_get_functiondef(p.oid) else '' end) as line
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      left join pg_depend dep on dep.objid = p.oid and dep.deptype = 'e'
      where ${SCHEMAS} and dep.objid is null`),
    triggers: await rows(`
      select pg_get_triggerdef(t.oid) || coalesce(' disabled=' || nullif(t.tgenabled::text, 'O'), '') as line
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where ${SCHEMAS} and not t.tgisinternal`),
    policies: await rows(`
      select format('%s.%s "%s" %s %s to %s using (%s) check (%s)', schemaname, tablename, policyname, permissive, cmd,
                    roles::text, coalesce(qual, ''), coalesce(with_check, '')) as line
      from pg_policies`),
    tables: await rows(`
      select format('%s.%s kind=%s rls=%s force=%s acl=%s options=%s', n.nspname, c.relname, c.relkind, c.relrowsecurity,
                    c.relforcerowsecurity, coalesce(c.relacl::text, 'default'), coalesce(c.reloptions::text, '')) as line
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where ${SCHEMAS} and c.relkind in ('r', 'p', 'v', 'm', 'S')`),
    views: await rows(`
      select format('%s.%s: %s', n.nspname, c.relname, pg_get_viewdef(c.oid)) as line
      from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${SCHEMAS} and c.relkind in ('v', 'm')`),
    schemas: await rows(
      `select format('%s acl=%s', n.nspname, coalesce(n.nspacl::text, 'default')) as line from pg_namespace n where ${SCHEMAS}`,
    ),
    types: await rows(`
      select format('%s.%s: %s', n.nspname, t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder)) as line
      from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
      where ${SCHEMAS} group by n.nspname, t.typname`),
    columnGrants: await rows(`
      select format('%s.%s.%s acl=%s', n.nspname, c.relname, a.attname, a.attacl::text) as line
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where ${SCHEMAS} and a.attacl is not null`),
  };
}

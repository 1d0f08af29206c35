import type { DbHandle } from "~/db/client.server";
import type { MigrationReport } from "~/db/migrate.server";
import type { Tongke } from "./tongke.server";

const DEMO_ACCOUNTS = [
  ["admin@example.com", "platform admin"],
  ["coordinator.hechuan@example.com", "coordinator of 合川区"],
  ["coordinator.leiwuqi@example.com", "coordinator of 类乌齐县"],
  ["principal.hechuan@example.com", "school admin, 重庆市合川区南屏小学"],
  ["teacher.hechuan@example.com", "teacher, 重庆市合川区南屏小学"],
  ["teacher.leiwuqi@example.com", "teacher, 类乌齐县第一小学"],
] as const;

/** What `supabase status` prints for a local stack, plus the demo accounts after seeding. */
export function printStatus(options: { tongke: Tongke; db: DbHandle; migration: MigrationReport | null; port: number; startedMs: number }) {
  const { tongke, db, migration, port, startedMs } = options;
  const url = tongke.env.PUBLIC_URL ?? `http://localhost:${port}`;
  const lines = [`Tongke 同课 is ready at ${url} (${(startedMs / 1000).toFixed(1)} s)`];
  lines.push(`         Database: ${db.kind === "pglite" ? `PGlite in ${tongke.env.DATA_DIR}/pglite` : "PostgreSQL (DATABASE_URL)"}`);
  if (migration?.applied.length) lines.push(`       Migrations: applied ${migration.applied.join(", ")}`);
  if (tongke.embeddedAuth) {
    const secret = tongke.env.SUPABASE_JWT_SECRET ? "SUPABASE_JWT_SECRET" : `in ${tongke.env.DATA_DIR}/local-secrets.json`;
    lines.push(`          API URL: ${url}`, `         Auth URL: ${url}/auth/v1`);
    // Logs outlive the machine they are printed on: the service_role key bypasses every policy.
    if (tongke.env.NODE_ENV === "development") {
      lines.push(`         anon key: ${tongke.embeddedAuth.anonKey}`, `service_role key: ${tongke.embeddedAuth.serviceRoleKey}`);
    } else {
      lines.push(`             keys: not printed outside development (signed with the JWT secret)`);
    }
    lines.push(`       JWT secret: ${secret}`);
  } else {
    lines.push(`         Supabase: ${tongke.env.SUPABASE_URL}`);
  }
  if (migration?.seeded) {
    lines.push("", "Demo accounts (password: tongke-demo):");
    for (const [email, role] of DEMO_ACCOUNTS) lines.push(`  ${email.padEnd(34)} ${role}`);
  }
  console.log(lines.join("\n"));
}

/**
 * `npm test`: every check in order, each printing its own runner's summary, then one
 * closing line with the totals. The PostgreSQL legs run when the server answers; in CI
 * they must run, elsewhere they are skipped with a loud warning.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { postgresServerAvailable } from "../tests/support/database";

const reports = path.resolve(".tmp/reports");
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });

interface Step {
  name: string;
  command: string[];
  env?: Record<string, string>;
  report?: { kind: "vitest" | "playwright"; file: string };
}

function run(step: Step): boolean {
  console.log(`\n━━ ${step.name} ━━ ${step.command.join(" ")}`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...step.env };
  if (step.report?.kind === "playwright") env.PLAYWRIGHT_JSON_OUTPUT_NAME = step.report.file;
  const result = spawnSync(step.command[0], step.command.slice(1), { stdio: "inherit", env });
  return result.status === 0;
}

function vitest(name: string, project: string, db?: "pglite" | "postgres"): Step {
  const file = path.join(reports, `${name}.json`);
  return {
    name,
    command: ["npx", "vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${file}`],
    env: db ? { TEST_DB: db } : {},
    report: { kind: "vitest", file },
  };
}

function count(step: Step): { passed: number; failed: number } {
  if (!step.report || !fs.existsSync(step.report.file)) return { passed: 0, failed: 0 };
  const json = JSON.parse(fs.readFileSync(step.report.file, "utf8"));
  if (step.report.kind === "vitest") return { passed: json.numPassedTests ?? 0, failed: json.numFailedTests ?? 0 };
  const stats = json.stats ?? {};
  return { passed: stats.expected ?? 0, failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0) };
}

async function main() {
  const withPostgres = await postgresServerAvailable();
  if (!withPostgres) {
    if (process.env.CI) {
      console.error("CI: the PostgreSQL server at TEST_DATABASE_URL (default 127.0.0.1:5432) is not reachable.");
      process.exit(1);
    }
    console.warn("\n!!!!! PostgreSQL is not reachable: the PostgreSQL legs are SKIPPED. Only PGlite is tested. !!!!!\n");
  }
  const e2eFile = path.join(reports, "e2e.json");
  const steps: Step[] = [
    { name: "browser and fonts", command: ["bash", "scripts/ensure-browser.sh"] },
    { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
    { name: "lint", command: ["npx", "eslint", ".", "--max-warnings", "0"] },
    { name: "format", command: ["npx", "prettier", "--check", "."] },
    vitest("unit", "unit"),
    vitest("db (PGlite)", "db", "pglite"),
    ...(withPostgres ? [vitest("db (PostgreSQL)", "db", "postgres")] : []),
    // The integration tests serve the real Remix build.
    { name: "build", command: ["npm", "run", "build"] },
    vitest("integration (PGlite)", "integration", "pglite"),
    ...(withPostgres ? [vitest("integration (PostgreSQL)", "integration", "postgres")] : []),
    {
      name: "browser (Playwright)",
      command: ["npx", "playwright", "test"],
      env: { E2E_POSTGRES: withPostgres ? "1" : "0" },
      report: { kind: "playwright", file: e2eFile },
    },
  ];

  const failedSteps: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const step of steps) {
    const ok = run(step);
    const c = count(step);
    passed += c.passed;
    failed += c.failed;
    if (!ok) {
      failedSteps.push(step.name);
      if (!step.report) break; // nothing after a failed setup, typecheck or build is meaningful
    }
  }
  console.log(`\n━━ summary ━━${failedSteps.length ? ` failed steps: ${failedSteps.join(", ")}` : ""}`);
  if (!withPostgres) console.warn("PostgreSQL legs: SKIPPED (server not reachable)");
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failedSteps.length || failed || passed === 0 ? 1 : 0);
}

void main();

import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { decidePostgresLeg } from "../support/db-suite";

describe("the postgres leg", () => {
  it.each([
    ["pglite", false, "1", "run"],
    ["postgres", true, "1", "run"],
    ["postgres", true, undefined, "run"],
    ["postgres", false, "true", "fail"],
    ["postgres", false, "1", "fail"],
    ["postgres", false, undefined, "skip"],
    ["postgres", false, "", "skip"],
  ] as const)("target %s, server up %s, CI=%s: %s", async (target, up, ci, decision) => {
    const serverAvailable = vi.fn(async () => up);
    expect(await decidePostgresLeg({ target, serverAvailable, ci })).toBe(decision);
    expect(serverAvailable).toHaveBeenCalledTimes(target === "postgres" ? 1 : 0);
  });

  // A real vitest run of a database test file against a port where nothing listens.
  const runWithoutServer = (ci: string) =>
    new Promise<{ exitCode: number; output: string }>((resolve) => {
      const root = path.resolve(__dirname, "../..");
      execFile(
        process.execPath,
        [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--project", "db", "tests/db/rls-coverage.test.ts"],
        {
          cwd: root,
          env: {
            ...process.env,
            TEST_DB: "postgres",
            TEST_DATABASE_URL: "postgres://postgres@127.0.0.1:9/postgres",
            CI: ci,
            NO_COLOR: "1",
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) =>
          resolve({
            exitCode: error ? Number(error.code ?? 1) : 0,
            // eslint-disable-next-line no-control-regex
            output: (stdout + stderr).replace(/\x1b\[[0-9;]*m/g, ""),
          }),
      );
    });

  it("without a server, skips loudly outside CI and fails in CI", async () => {
    const [local, ci] = await Promise.all([runWithoutServer(""), runWithoutServer("1")]);
    expect(local.exitCode, local.output).toBe(0);
    expect(local.output).toContain("SKIPPING the database tests of this file");
    const [, skipped, total] = /Tests\s+(\d+) skipped \((\d+)\)/.exec(local.output) ?? [];
    expect(skipped, local.output).toBeDefined();
    expect(skipped).toBe(total);
    expect(ci.exitCode, ci.output).not.toBe(0);
    expect(ci.output).toContain("CI is set, so this is a failure");
  }, 60_000);
});

import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const chromium = process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const withPostgres = process.env.E2E_POSTGRES === "1";
const PORT_PGLITE = Number(process.env.E2E_PORT_PGLITE ?? 3901);
const PORT_POSTGRES = Number(process.env.E2E_PORT_POSTGRES ?? 3902);

// Chromium leaves profile folders in TMPDIR: keep them where the run cleans up.
process.env.TMPDIR = `${process.cwd()}/.tmp/chromium`;
fs.mkdirSync(process.env.TMPDIR, { recursive: true });

const server = (db: "pglite" | "postgres", port: number) => ({
  command: `npx tsx tests/e2e/support/serve.ts ${db} ${port}`,
  url: `http://127.0.0.1:${port}/healthz`,
  timeout: 180_000,
  reuseExistingServer: false,
  stdout: "ignore" as const,
  stderr: "pipe" as const,
});

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json"]],
  outputDir: ".tmp/test-results",
  use: {
    locale: "zh-CN",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
      ],
    },
  },
  projects: [
    { name: "pglite", use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${PORT_PGLITE}` } },
    ...(withPostgres ? [{ name: "postgres", use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${PORT_POSTGRES}` } }] : []),
  ],
  webServer: [server("pglite", PORT_PGLITE), ...(withPostgres ? [server("postgres", PORT_POSTGRES)] : [])],
});

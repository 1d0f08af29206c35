import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "tongke-demo";

const consoleProblems = new WeakMap<Page, string[]>();

/**
 * Collects what the page reports as wrong from now on: console errors (React's hydration
 * mismatches among them), hydration warnings and uncaught exceptions. Network answers the
 * test provokes on purpose (a 400 for bad input, a refused connection while offline) are the
 * browser's reports of requests, not the app's errors, and are left out. `signIn` starts it.
 */
export function watchConsole(page: Page) {
  if (consoleProblems.has(page)) return;
  const problems: string[] = [];
  consoleProblems.set(page, problems);
  page.on("console", (message) => {
    const text = message.text();
    if (/^Failed to load resource|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|WebSocket connection to/.test(text)) return;
    if (message.type() === "error" || (message.type() === "warning" && /hydrat/i.test(text))) problems.push(`${message.type()}: ${text}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
}

/** WCAG 2.1 AA, as axe-core checks it, with no violations — and nothing wrong in the console so far. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary).toEqual([]);
  expect(consoleProblems.get(page) ?? [], `console of ${page.url()}`).toEqual([]);
}

/** Fills and submits the sign-in form; see `signIn` for a sign-in that must succeed. */
export async function submitSignIn(page: Page, email: string, password: string) {
  watchConsole(page);
  await page.goto("/login");
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form:has(input[name="email"]) button[type="submit"]').click();
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await expect(page.locator('form[action="/logout"]')).toBeVisible();
}

/** Pages are server-rendered first; wait for hydration before using client-side behaviour. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
}

const SWITCHER_LABELS = { "zh-CN": "中文", bo: "བོད་ཡིག", en: "English" } as const;

/** Uses the language switcher and waits until the page has re-rendered in that language. */
export async function switchLanguage(page: Page, locale: keyof typeof SWITCHER_LABELS) {
  await page.getByRole("button", { name: SWITCHER_LABELS[locale], exact: true }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
}

/** Signs out through the header button and waits until the sign-in page is back. */
export async function signOut(page: Page) {
  await page.locator('form[action="/logout"] button[type="submit"]').click();
  await page.waitForURL(/\/login$/);
}

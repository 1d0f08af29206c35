import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { expectAccessible, signIn, signOut, waitForHydration, watchConsole } from "./support/fixtures";

/**
 * The service worker a repeat visit on a weak link depends on: the app's code from the device,
 * pages always from the network (never a signed-in page after sign-out), and an offline page
 * in the reader's language.
 */

/** Waits until the service worker controls the page and knows the page's language. */
async function controlledBy(page: Page) {
  await waitForHydration(page);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? "none"), { timeout: 30_000 }).toBe("activated");
  // The page tells the worker its language once it controls the page, and whenever it changes.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const stored = await (await caches.open("tongke-language")).match("/__tongke/language");
        return stored ? await stored.text() : null;
      }),
    )
    .toBe(await page.evaluate(() => document.documentElement.lang));
}

test("a second visit takes the app's code from the service worker, and pages still from the network", async ({ browser }) => {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  watchConsole(page);
  await page.goto("/login");
  await controlledBy(page);

  // A second visit, in a new tab: the entry, the root's and the page's own chunks come from the worker.
  const second = await context.newPage();
  watchConsole(second);
  const fromWorker: string[] = [];
  const fromNetwork: string[] = [];
  second.on("response", (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith("/build/")) (response.fromServiceWorker() ? fromWorker : fromNetwork).push(url.pathname);
    if (url.pathname === "/login") fromNetwork.push(`page ${response.status()}`);
  });
  await second.goto("/login");
  await waitForHydration(second);
  expect(
    fromWorker.some((p) => /\/entry\.client-[\w-]+\.js$/.test(p)),
    fromWorker.join(", "),
  ).toBe(true);
  expect(
    fromWorker.some((p) => /\/root-[\w-]+\.js$/.test(p)),
    fromWorker.join(", "),
  ).toBe(true);
  expect(
    fromWorker.some((p) => /\/routes\/login-[\w-]+\.js$/.test(p)),
    fromWorker.join(", "),
  ).toBe(true);
  // The page itself came from the server, as every page does; no code did.
  expect(fromNetwork).toEqual(["page 200"]);
  const caches = await second.evaluate(async () => (await self.caches.keys()).sort());
  expect(caches.some((name) => name.startsWith("workbox-precache"))).toBe(true);
  await expectAccessible(second);
  await expectAccessible(page);
  await context.close();
});

test("after sign-out no signed-in page comes back, online or offline", async ({ browser }) => {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, "teacher.hechuan@example.com");
  await page.goto("/profile");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await controlledBy(page);
  const profileHeading = await page.getByRole("heading", { level: 1 }).innerText();

  await signOut(page);
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login/);

  await context.setOffline(true);
  await page.goto("/profile");
  await expect(page.getByRole("heading", { level: 1, name: "当前没有网络连接" })).toBeVisible();
  await expect(page.getByText(profileHeading, { exact: true })).toHaveCount(0);
  // Nothing the worker keeps is a page.
  const kept = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await self.caches.keys()) {
      for (const request of await (await self.caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(kept.filter((path) => !/^\/(build|offline)\/|^\/(favicon\.svg|manifest\.webmanifest|__tongke\/language)$/.test(path))).toEqual([]);
  await context.close();
});

const OFFLINE: Record<string, { heading: string; retry: string }> = {
  "zh-CN": { heading: "当前没有网络连接", retry: "重试" },
  bo: { heading: "ད་ལྟ་དྲ་རྒྱ་མེད།", retry: "ཡང་བསྐྱར་ཚོད་ལྟ།" },
  en: { heading: "You are offline", retry: "Try again" },
};

for (const [locale, expected] of Object.entries(OFFLINE)) {
  test(`shows the offline page in ${locale} when the network is gone, and the portal again once it is back`, async ({ browser }) => {
    const context: BrowserContext = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await controlledBy(page);

    await context.setOffline(true);
    await page.goto("/pairings");
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await expect(page.getByRole("heading", { level: 1, name: expected.heading })).toBeVisible();
    await expectAccessible(page);
    await page.setViewportSize({ width: 375, height: 700 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await context.setOffline(false);
    await page.getByRole("link", { name: expected.retry }).click();
    await expect(page).toHaveURL(/\/login/);
    await context.close();
  });
}

test("offers a web app manifest to add the portal to the home screen", async ({ page }) => {
  await page.goto("/login");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = (await (await page.request.get(href!)).json()) as {
    name: string;
    short_name: string;
    icons: { src: string }[];
    start_url: string;
  };
  expect(manifest).toMatchObject({ name: "同课 Tongke", short_name: "同课", start_url: "/" });
  for (const icon of manifest.icons) expect((await page.request.get(icon.src)).status()).toBe(200);
});

/// <reference lib="webworker" />
/**
 * The portal's service worker (built by scripts/build-service-worker.mjs into public/sw.js):
 * a repeat visit on the Leiwuqi link takes the app's code and fonts from the device.
 *
 * - Every chunk and style sheet of the build is precached at install (the worker registers
 *   after the page has loaded, so this never delays the first page); font slices are kept
 *   once a page has used them (cache first: hashed names change whenever the content does).
 * - Pages are never kept: a navigation always goes to the network (with navigation preload, so
 *   the worker never delays it), and no signed-in page is ever served from the device, after
 *   sign-out or otherwise. Without a network it gets the offline page, in the language the
 *   reader last used.
 * - A new worker takes over at once; the next navigation loads the new build's pages and code.
 */
import { clientsClaim } from "workbox-core";
import { ExpirationPlugin } from "workbox-expiration";
import { enable as enableNavigationPreload } from "workbox-navigation-preload";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { CacheFirst, NetworkOnly } from "workbox-strategies";

declare const self: ServiceWorkerGlobalScope & { __TONGKE_PRECACHE: PrecacheEntry[]; __TONGKE_LANGUAGES: string[] };

const LANGUAGE_CACHE = "tongke-language";
const LANGUAGE_KEY = "/__tongke/language";
const [DEFAULT_LANGUAGE] = self.__TONGKE_LANGUAGES;

void self.skipWaiting();
clientsClaim();
// The browser starts a navigation's request while the worker wakes up, and the page's network
// conditions apply to it as to any page load; the worker only answers with it.
enableNavigationPreload();
cleanupOutdatedCaches();
precacheAndRoute(self.__TONGKE_PRECACHE);

const keepOnceUsed = (cacheName: string, maxEntries: number) =>
  new CacheFirst({ cacheName, plugins: [new ExpirationPlugin({ maxEntries, purgeOnQuotaError: true })] });

registerRoute(({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith("/build/_assets/"), keepOnceUsed("tongke-assets", 200));
registerRoute(({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith("/build/"), keepOnceUsed("tongke-build", 100));

/** The offline page in the reader's language (what the pages last told this worker). */
async function offlinePage(): Promise<Response> {
  const stored = await (await caches.open(LANGUAGE_CACHE)).match(LANGUAGE_KEY);
  const language = stored ? await stored.text() : DEFAULT_LANGUAGE;
  const page = (await matchPrecache(`/offline/${language}.html`)) ?? (await matchPrecache(`/offline/${DEFAULT_LANGUAGE}.html`));
  return page ?? Response.error();
}

registerRoute(
  new NavigationRoute(
    new NetworkOnly({
      plugins: [{ handlerDidError: offlinePage }],
    }),
  ),
);

// Each page says which language it is shown in, so the offline page can match it.
self.addEventListener("message", (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: unknown; language?: unknown } | null;
  if (data?.type !== "language" || typeof data.language !== "string" || !self.__TONGKE_LANGUAGES.includes(data.language)) return;
  const language = data.language;
  event.waitUntil(caches.open(LANGUAGE_CACHE).then((cache) => cache.put(LANGUAGE_KEY, new Response(language))));
});

/**
 * Registers the service worker (production builds only: `npm run build` writes public/sw.js)
 * once the page has loaded, so its precache never competes with the page itself on a slow
 * link, and tells it the language the page is shown in (its offline page matches it). In
 * development a worker left by a production run on the same address is removed instead.
 */
export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  // Not a setting read in the browser: the compiler writes the build's mode in its place.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NODE_ENV !== "production") {
    void navigator.serviceWorker.getRegistrations().then((registrations) => registrations.forEach((r) => void r.unregister()));
    return;
  }
  const tellLanguage = () => {
    navigator.serviceWorker.controller?.postMessage({ type: "language", language: document.documentElement.lang });
  };
  const register = () => {
    navigator.serviceWorker.register("/sw.js").then(
      () => tellLanguage(),
      (error: unknown) => console.warn("Service worker not registered:", error),
    );
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
  navigator.serviceWorker.addEventListener("controllerchange", tellLanguage);
  // The language switcher changes the page's language without a new document.
  new MutationObserver(tellLanguage).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
}

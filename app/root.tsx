import "./styles/fonts.css";
import "./styles/app.css";
import { cssBundleHref } from "@remix-run/css-bundle";
import { data, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { I18nextProvider } from "react-i18next";
import { AppShell } from "./components/app-shell";
import { useNonce } from "./components/nonce";
import { createI18n } from "./i18n/client";
import { DEFAULT_LOCALE } from "./i18n/config";
import fallbackErrors from "../public/locales/zh-CN/errors.json";
import { loadRoot } from "./root.server";
import { ErrorMessage } from "./components/route-error";

export const links: LinksFunction = () => [
  ...(cssBundleHref ? [{ rel: "stylesheet", href: cssBundleHref }] : []),
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/manifest.webmanifest" },
];

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { headers, ...payload } = await loadRoot(request, context);
  return data(payload, { headers });
};

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const locale = root?.locale ?? DEFAULT_LOCALE;
  return (
    <html lang={locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b5cad" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { locale, strings, user, toast } = useLoaderData<typeof loader>();
  const i18n = useMemo(() => createI18n(locale, strings), [locale, strings]);
  return (
    <I18nextProvider i18n={i18n}>
      <AppShell user={user} locale={locale} toast={toast}>
        <Outlet />
      </AppShell>
    </I18nextProvider>
  );
}

export function ErrorBoundary() {
  const root = useRouteLoaderData<typeof loader>("root");
  const i18n = useMemo(
    () => (root ? createI18n(root.locale, root.strings) : createI18n(DEFAULT_LOCALE, { errors: fallbackErrors })),
    [root],
  );
  // Inside the app shell (header, navigation, language) whenever the root's data is there:
  // a page that fails leaves the reader somewhere they can go on from.
  return (
    <I18nextProvider i18n={i18n}>
      {root ? (
        <AppShell user={root.user} locale={root.locale}>
          <div className="page narrow">
            <ErrorMessage />
          </div>
        </AppShell>
      ) : (
        <main id="main" className="page narrow">
          <ErrorMessage />
        </main>
      )}
    </I18nextProvider>
  );
}

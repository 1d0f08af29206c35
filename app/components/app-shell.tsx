import { Form, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Locale } from "~/i18n/config";
import { LanguageSwitcher } from "./language-switcher";
import { ToastRegion, type Toast } from "./toast";

interface AppShellProps {
  user: { displayName: string; email: string; unread: number; dashboard?: boolean } | null;
  locale: Locale;
  /** What the last action has to say (toast.server.ts). */
  toast?: Toast | null;
  children: React.ReactNode;
}

export function AppShell({ user, locale, toast = null, children }: AppShellProps) {
  const { t } = useTranslation("common");
  const location = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <NavLink to="/" className="brand" aria-label={t("brandLabel")}>
            <span aria-hidden="true">同课</span>
            <span className="brand__sub">Tongke</span>
          </NavLink>
          {user ? (
            <nav aria-label={t("nav.label")} className="site-nav">
              <NavLink to="/" end>
                {t("nav.home")}
              </NavLink>
              <NavLink to="/schools">{t("nav.directory")}</NavLink>
              <NavLink to="/pairings">{t("nav.pairings")}</NavLink>
              <NavLink to="/live">{t("live:nav")}</NavLink>
              {user.dashboard ? <NavLink to="/dashboard">{t("dashboard:nav")}</NavLink> : null}
              <NavLink to="/notifications" aria-label={t("nav.notificationsLabel", { count: user.unread })}>
                {t("nav.notifications")}
                {user.unread > 0 ? (
                  <span className="count" aria-hidden="true">
                    {user.unread}
                  </span>
                ) : null}
              </NavLink>
              <NavLink to="/profile">{t("nav.profile")}</NavLink>
            </nav>
          ) : null}
          <div className="site-header__tools">
            <LanguageSwitcher current={locale} redirectTo={location.pathname + location.search} />
            {user ? (
              <Form method="post" action="/logout" className="sign-out">
                <span className="sign-out__name" title={user.email}>
                  {user.displayName}
                </span>
                <button type="submit" className="button button--quiet">
                  {t("signOut")}
                </button>
              </Form>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ToastRegion toast={toast} />
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("footer")}</p>
      </footer>
    </>
  );
}

import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { getSignedIn } from "./auth/session.server";
import { canSeeDashboard } from "./dashboard/queries.server";
import { profiles } from "./db/schema";
import { withUserTransaction } from "./db/with-user-transaction.server";
import { getLocale } from "./i18n/i18next.server";
import { resourcesFor } from "./i18n/resources.server";
import { unreadNotificationCount } from "./pairings/queries.server";
import { takeToast } from "./components/toast.server";

export async function loadRoot(request: Request, context: AppLoadContext) {
  const [locale, signedIn, flash] = await Promise.all([getLocale(request), getSignedIn(request, context), takeToast(request)]);
  let user: { id: string; displayName: string; email: string; unread: number; dashboard: boolean } | null = null;
  if (signedIn) {
    const { claims } = signedIn;
    const [profile, unread, dashboard] = await withUserTransaction(
      context.tongke.database,
      claims,
      async (tx) =>
        [
          (await tx.select({ displayName: profiles.displayName }).from(profiles).where(eq(profiles.id, claims.sub)))[0],
          await unreadNotificationCount(tx, claims.sub),
          await canSeeDashboard(tx),
        ] as const,
    );
    user = { id: claims.sub, email: claims.email ?? "", displayName: profile?.displayName ?? claims.email ?? "", unread, dashboard };
  }
  const headers = signedIn?.headers ?? new Headers();
  if (flash.clear) headers.append("set-cookie", flash.clear);
  return { locale, strings: resourcesFor(locale), user, toast: flash.toast, headers };
}

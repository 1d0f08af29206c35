import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { getSignedIn } from "./auth/session.server";
import { profiles } from "./db/schema";
import { withUserTransaction } from "./db/with-user-transaction.server";
import { getLocale } from "./i18n/i18next.server";
import { resourcesFor } from "./i18n/resources.server";

export async function loadRoot(request: Request, context: AppLoadContext) {
  const [locale, signedIn] = await Promise.all([getLocale(request), getSignedIn(request, context)]);
  let user: { id: string; displayName: string; email: string } | null = null;
  if (signedIn) {
    const [profile] = await withUserTransaction(context.tongke.database, signedIn.claims, (tx) =>
      tx.select({ displayName: profiles.displayName }).from(profiles).where(eq(profiles.id, signedIn.claims.sub)),
    );
    user = {
      id: signedIn.claims.sub,
      email: signedIn.claims.email ?? "",
      displayName: profile?.displayName ?? signedIn.claims.email ?? "",
    };
  }
  return { locale, strings: resourcesFor(locale), user, headers: signedIn?.headers ?? new Headers() };
}

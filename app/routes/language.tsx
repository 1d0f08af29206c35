import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getSignedIn, safeRedirect } from "~/auth/session.server";
import { LanguageSchema } from "~/auth/schemas";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { localeCookie } from "~/i18n/i18next.server";
import { updateProfile } from "~/people/queries.server";
import { readFormData, refusal } from "~/components/refusal.server";

/** Saves the language choice: in a cookie for everyone, and in the profile when signed in. */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  const form = Object.fromEntries(await readFormData(request));
  const parsed = LanguageSchema.safeParse(form);
  const back = safeRedirect(typeof form.redirectTo === "string" ? form.redirectTo : null);
  if (!parsed.success) throw await refusal(request, 400);

  const headers = new Headers();
  headers.append("set-cookie", await localeCookie.serialize(parsed.data.lng));
  const signedIn = await getSignedIn(request, context);
  if (signedIn) {
    signedIn.headers.forEach((value, key) => key === "set-cookie" && headers.append(key, value));
    await withUserTransaction(context.tongke.database, signedIn.claims, (tx) =>
      updateProfile(tx, signedIn.claims.sub, { preferredLanguage: parsed.data.lng }),
    );
  }
  throw redirect(back, { headers });
};

export const loader = () => redirect("/");

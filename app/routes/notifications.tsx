import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { PairingTitle } from "~/pairings/pairing-names";
import { listNotifications, markNotificationsRead } from "~/pairings/queries.server";
import type { loader as rootLoader } from "~/root";
import { schoolDateFormat } from "~/live/time";
import { readFormData } from "~/components/refusal.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "pairings:notifications.title");

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const items = await withUserTransaction(context.tongke.database, claims, (tx) => listNotifications(tx, claims.sub));
  return data({ items }, { headers });
};

const MarkReadSchema = z.union([z.object({ all: z.literal("1") }), z.object({ id: z.string().uuid() })]);

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const parsed = MarkReadSchema.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  await withUserTransaction(context.tongke.database, claims, (tx) =>
    markNotificationsRead(tx, claims.sub, "all" in parsed.data ? "all" : [parsed.data.id]),
  );
  throw redirect("/notifications", { headers });
};

/** Where a notification leads: its live class, its pairing, or the school someone was added to. */
function linkOf(n: { pairingId: string | null; data: unknown }): string | undefined {
  const sessionId = (n.data as { session_id?: unknown } | null)?.session_id;
  if (typeof sessionId === "string") return `/live/${sessionId}`;
  const planId = (n.data as { plan_id?: unknown } | null)?.plan_id;
  if (typeof planId === "string") return `/lesson-plans/${planId}`;
  if (n.pairingId) return `/pairings/${n.pairingId}`;
  const schoolId = (n.data as { school_id?: unknown } | null)?.school_id;
  return typeof schoolId === "string" ? `/schools/${schoolId}` : undefined;
}

export default function Notifications() {
  const { t, i18n } = useTranslation("pairings");
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  const { items } = useLoaderData<typeof loader>();
  const time = schoolDateFormat(i18n.language, "dateTime");
  const unread = items.filter((n) => !n.readAt).length;
  // Live-class notifications name the class and when it is (Beijing time).
  const describe = (n: { kind: string; data: unknown }) => {
    const data = (n.data ?? {}) as { title?: unknown; starts_at?: unknown };
    const when = typeof data.starts_at === "string" ? time.format(new Date(data.starts_at)) : "";
    return t(`notifications.kinds.${n.kind}`, { title: typeof data.title === "string" ? data.title : "", when });
  };
  return (
    <div className="page narrow">
      <div className="page-heading">
        <h1>{t("notifications.title")}</h1>
        {unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="all" value="1" />
            <button type="submit" className="button button--quiet">
              {t("notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      {items.length === 0 ? <p className="muted">{t("notifications.none")}</p> : null}
      <ul className="notification-list">
        {items.map((n) => (
          <li key={n.id} className={n.readAt ? "notification" : "notification notification--unread"}>
            <div>
              {n.readAt ? null : <span className="badge">{t("notifications.new")}</span>}{" "}
              {linkOf(n) ? <Link to={linkOf(n)!}>{describe(n)}</Link> : describe(n)}
              {n.schools ? (
                <div>
                  <PairingTitle a={n.schools.a} b={n.schools.b} locale={locale} />
                </div>
              ) : null}
              <div className="muted">
                <time dateTime={new Date(n.createdAt).toISOString()}>{time.format(new Date(n.createdAt))}</time>
              </div>
            </div>
            {n.readAt ? null : (
              <Form method="post">
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" className="button button--quiet button--small">
                  {t("notifications.markRead")}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

import type { Connection, Extension, Hocuspocus } from "@hocuspocus/server";
import { COLLAB_CLOSE_CODE, COLLAB_REASONS } from "../close-reasons";
import type { CollabContext, CollabDatabase } from "../context";
import { readAccess } from "./authentication.server";

export const ACCESS_CHANNEL = "tongke_lesson_plan_access";

export interface AccessChange {
  plan_id?: string;
  pairing_id?: string;
  user_id?: string;
}

/**
 * Access changes announced by the database (NOTIFY on tongke_lesson_plan_access when a
 * co-author is removed, a plan is finalised, a pairing ends, someone leaves a school): the
 * connections concerned are checked again and closed with a named reason when their rights
 * changed.
 */
export function accessChanges(options: { database: CollabDatabase }) {
  let instance: Hocuspocus<CollabContext> | undefined;
  let stopListening: (() => Promise<void>) | undefined;

  async function recheck(connection: Connection<CollabContext>) {
    const context = connection.context;
    const now = await readAccess(await options.database.db(), context.claims, context.planId).catch(() => undefined);
    if (now === undefined) return; // the database is unavailable: keep the connection, check again next time
    if (now === null) connection.close({ code: COLLAB_CLOSE_CODE, reason: COLLAB_REASONS.accessRevoked });
    else if (now.access !== context.access) {
      connection.readOnly = now.access !== "edit";
      connection.close({ code: COLLAB_CLOSE_CODE, reason: COLLAB_REASONS.accessChanged });
    }
  }

  /** Re-checks every connection the change concerns; resolves when all are checked. */
  async function apply(change: AccessChange) {
    const checks: Promise<void>[] = [];
    for (const document of instance?.documents.values() ?? []) {
      for (const connection of document.getConnections() as Connection<CollabContext>[]) {
        const context = connection.context;
        if (!context?.userId) continue;
        const concerned = change.plan_id === context.planId || change.pairing_id === context.pairingId || change.user_id === context.userId;
        if (concerned) checks.push(recheck(connection));
      }
    }
    await Promise.all(checks);
  }

  const extension: Extension<CollabContext> = {
    extensionName: "tongke-access-changes",
    async onConfigure({ instance: configured }) {
      instance = configured as Hocuspocus<CollabContext>;
    },
    async onDestroy() {
      await stopListening?.().catch(() => {});
      stopListening = undefined;
    },
  };

  return {
    extension,
    apply,
    /** LISTENs for changes (once the database is open). */
    async start() {
      const { listen } = await options.database.handle();
      stopListening = await listen(ACCESS_CHANNEL, (payload) => {
        let change: AccessChange;
        try {
          change = JSON.parse(payload) as AccessChange;
        } catch {
          return;
        }
        void apply(change);
      });
    },
  };
}

import type { Connection, Extension, Hocuspocus } from "@hocuspocus/server";
import type { SessionCheck } from "~/auth/session-check.server";
import { COLLAB_CLOSE_CODE, COLLAB_REASONS } from "../close-reasons";
import type { CollabContext } from "../context";

/**
 * Open connections outlive the sign-in that opened them: every `sessions.ttlMs` (≤ 30 s) the
 * session behind each connection is asked about afresh — once per session, however many plans
 * it has open — and the connections of a session that ended (signed out here or elsewhere,
 * refresh-token reuse, a password change, an administrator) are closed with sessionEnded.
 */
export function sessionExpiry(options: { sessions: SessionCheck; intervalMs?: number }) {
  let instance: Hocuspocus<CollabContext> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;

  async function sweep() {
    const bySession = new Map<string, Connection<CollabContext>[]>();
    for (const document of instance?.documents.values() ?? []) {
      for (const connection of document.getConnections() as Connection<CollabContext>[]) {
        const context = connection.context;
        if (!context?.claims) continue;
        const key = `${context.claims.sub}/${context.claims.session_id ?? ""}`;
        bySession.set(key, [...(bySession.get(key) ?? []), connection]);
      }
    }
    await Promise.all(
      [...bySession.values()].map(async (connections) => {
        const { claims, accessToken } = connections[0].context;
        if (await options.sessions.isLive(claims, accessToken, { fresh: true })) return;
        for (const connection of connections) connection.close({ code: COLLAB_CLOSE_CODE, reason: COLLAB_REASONS.sessionEnded });
      }),
    );
  }

  const extension: Extension<CollabContext> = {
    extensionName: "tongke-session-expiry",
    async onConfigure({ instance: configured }) {
      instance = configured as Hocuspocus<CollabContext>;
      const every = Math.max(options.intervalMs ?? options.sessions.ttlMs, 250);
      timer = setInterval(() => {
        sweeping ??= sweep()
          .catch((error: unknown) => console.warn("collab: could not check sessions:", error instanceof Error ? error.message : error))
          .finally(() => (sweeping = undefined));
      }, every);
      timer.unref();
    },
    async onDestroy() {
      clearInterval(timer);
      await sweeping;
    },
  };
  return { extension, sweep };
}

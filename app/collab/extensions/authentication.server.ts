import type { Extension } from "@hocuspocus/server";
import { sql } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { selectRows } from "~/db/execute.server";
import type { SessionCheck } from "~/auth/session-check.server";
import type { JwtClaims } from "~/db/types";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { planIdOfDocument } from "~/lesson-plans/extensions";
import { COLLAB_REASONS } from "../close-reasons";
import type { Access, CollabContext, CollabDatabase } from "../context";
import { colourOf } from "../presence";
import { CollabRefusal } from "../refusal";

/** What the user may do with the plan, read under row-level security as that user; null: nothing. */
export async function readAccess(db: Database, claims: JwtClaims, planId: string) {
  const rows = await withUserTransaction(db, claims, (tx) =>
    selectRows<{ pairing_id: string; access: Access | null; name: string | null }>(
      tx,
      sql`select p.pairing_id, private.lesson_plan_access(p.id) as access,
                 (select display_name from public.profiles where id = ${claims.sub}) as name
          from public.lesson_plans p where p.id = ${planId}`,
    ),
  );
  const row = rows[0];
  return row?.access ? { pairingId: row.pairing_id, access: row.access, name: row.name ?? "" } : null;
}

/**
 * Who connects, and to what: the access token is verified, its session checked against Auth's
 * sessions, the plan's access read as the user (RLS decides), and readers get read-only
 * connections whose updates are never applied.
 */
export function authentication(options: {
  database: CollabDatabase;
  verifyAccessToken: (token: string) => Promise<JwtClaims>;
  sessions: SessionCheck;
}): Extension<CollabContext> {
  return {
    extensionName: "tongke-authentication",
    async onAuthenticate({ token, documentName, connectionConfig }) {
      const planId = planIdOfDocument(documentName);
      if (!planId) throw new CollabRefusal(COLLAB_REASONS.forbidden);
      let claims: JwtClaims;
      try {
        claims = await options.verifyAccessToken(token);
      } catch {
        throw new CollabRefusal(COLLAB_REASONS.unauthenticated);
      }
      if (!(await options.sessions.isLive(claims, token))) throw new CollabRefusal(COLLAB_REASONS.unauthenticated);
      const found = await readAccess(await options.database.db(), claims, planId).catch(() => {
        throw new CollabRefusal(COLLAB_REASONS.unavailable);
      });
      if (!found) throw new CollabRefusal(COLLAB_REASONS.forbidden);
      connectionConfig.readOnly = found.access !== "edit";
      return {
        userId: claims.sub,
        claims,
        accessToken: token,
        planId,
        pairingId: found.pairingId,
        access: found.access,
        user: { name: found.name, color: colourOf(claims.sub), role: found.access === "edit" ? "editor" : "reader" },
      } satisfies CollabContext;
    },
  };
}

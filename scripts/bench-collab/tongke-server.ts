/**
 * Tongke's collaboration server for `npm run bench:collab`, in its own process: createCollab
 * on a plain http.Server as server.ts mounts it, over a fresh migrated database
 * (createTestDatabase: in-memory PGlite on its own thread as the embedded server runs it, or
 * PostgreSQL with TEST_DB=postgres), with its
 * default debounce. Each document is a real lesson plan (server-made template) of an
 * active pairing; the clients sign in alternately as its lead author and its co-author.
 */
import { describeJson } from "../../app/lesson-plans/document.server";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT } from "jose";
import * as Y from "yjs";
import { createSessionCheck, databaseSessionLookup } from "../../app/auth/session-check.server";
import { createAccessTokenVerifier } from "../../app/auth/verify.server";
import { createCollab } from "../../app/collab/collab.server";
import type { JwtClaims } from "../../app/db/types";
import { withUserTransaction } from "../../app/db/with-user-transaction.server";
import { createPlan } from "../../app/lesson-plans/writes.server";
import { planDocumentName } from "../../app/lesson-plans/extensions";
import { createTestDatabase } from "../../tests/support/database";
import { createPairingWorld } from "../../tests/support/pairing-world";
import { editsIn, PLAN_FRAGMENT } from "./protocol";
import { serve } from "./serve";

serve(async (documents, clientsPerDocument) => {
  // PGlite on its own thread, as the embedded server runs it.
  const database = await createTestDatabase({ thread: true });
  const world = await createPairingWorld(database);
  const pairing = await world.pairingIn("active");
  const { teacherA, teacherB } = world.users;
  const secret = `bench-collab-${randomUUID()}`;
  const sign = (claims: JwtClaims) =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setExpirationTime(Math.floor(Date.now() / 1000) + 3_600)
      .sign(new TextEncoder().encode(secret));
  const tokens = [await sign(teacherA.claims), await sign(teacherB.claims)];

  const planIds = new Map<string, string>();
  // One more plan, for the warm-up client.
  for (let i = 0; i <= documents; i++) {
    const planId = await withUserTransaction(database.db, teacherA.claims, (tx) =>
      createPlan(
        tx,
        {
          pairingId: pairing.id,
          title: `基准教案 ${i + 1}`,
          subject: "chinese",
          grade: 3,
          periods: 1,
          language: "zh-CN",
          leadAuthorId: teacherA.id,
          coauthorIds: [teacherB.id],
        },
        describeJson,
      ),
    );
    planIds.set(planDocumentName(planId), planId);
  }

  const collab = createCollab({
    database: Promise.resolve({ db: database }),
    verifyAccessToken: createAccessTokenVerifier({ jwtSecret: secret, supabaseUrl: "http://127.0.0.1:1" }),
    sessions: createSessionCheck(databaseSessionLookup(async () => database)),
  });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  collab.attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  const [warmup, ...names] = planIds.keys();
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/collab`,
    warmup: { name: warmup, tokens: [tokens[0]] },
    documents: names.map((name) => ({
      name,
      tokens: Array.from({ length: clientsPerDocument }, (_, c) => tokens[c % 2]),
    })),
    async stored(expected) {
      await collab.flush();
      let found = 0;
      let missing = 0;
      for (const [name, count] of Object.entries(expected)) {
        const [row] = await database.query<{ state: Uint8Array }>("select state from public.lesson_plan_documents where plan_id = $1", [
          planIds.get(name),
        ]);
        const doc = new Y.Doc();
        if (row) Y.applyUpdate(doc, new Uint8Array(row.state));
        const keys = editsIn(doc.getXmlFragment(PLAN_FRAGMENT).toString()).size;
        found += Math.min(keys, count);
        missing += Math.max(0, count - keys);
        doc.destroy();
      }
      return { found, missing };
    },
    async stop() {
      await collab.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.destroy();
    },
  };
});

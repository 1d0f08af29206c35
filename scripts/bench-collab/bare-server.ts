/**
 * The baseline for `npm run bench:collab`: Hocuspocus's own Server with nothing added — no
 * authentication, no persistence — in its own process.
 */
import { randomUUID } from "node:crypto";
import { Server } from "@hocuspocus/server";
import { serve } from "./serve";

serve(async (documents, clientsPerDocument) => {
  const server = new Server({ quiet: true, port: 0, address: "127.0.0.1", stopOnSignals: false });
  await server.listen();
  return {
    url: `ws://127.0.0.1:${server.address.port}`,
    documents: Array.from({ length: documents }, () => ({
      name: `bench.${randomUUID()}`,
      tokens: Array<string>(clientsPerDocument).fill("bare"),
    })),
    warmup: { name: `bench.${randomUUID()}`, tokens: ["bare"] },
    stop: () => server.destroy(),
  };
});

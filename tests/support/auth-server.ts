import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { DbHandle } from "../../app/db/client.server";
import { createEmbeddedAuthRouter, type EmbeddedAuthOptions } from "../../app/auth/embedded/router.server";

/**
 * The embedded Auth API on its own server, port 0, as the app mounts it (behind Express
 * with `trust proxy` for loopback). `extend` mounts more beside it; `close` stops them all.
 */
export function createAuthServers(base: () => { handle: DbHandle; jwtSecret: string; anonKey: string; serviceRoleKey: string }) {
  const servers: http.Server[] = [];
  return {
    async serve(extra: Partial<EmbeddedAuthOptions> = {}, extend?: (app: express.Express) => void): Promise<string> {
      const app = express();
      app.set("trust proxy", "loopback");
      const server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      app.use("/auth/v1", createEmbeddedAuthRouter({ ...base(), apiUrl: url, ...extra }));
      extend?.(app);
      servers.push(server);
      return url;
    },
    close: () => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))),
  };
}

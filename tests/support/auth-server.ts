import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import express from "express";
import { WebSocket } from "ws";
import type { DbHandle } from "../../app/db/client.server";
import { createEmbeddedAuthRouter, type EmbeddedAuthOptions } from "../../embedded/auth/router.server";

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

/** An address no other test uses. */
export const freshEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

/** The real supabase-js client against an Auth server, without a stored session, speaking from `ip` when given. */
export function authClient(url: string, key: string, ip?: string): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    global: { headers: ip ? { "x-forwarded-for": ip } : {} },
  });
}

export interface OutboxRow {
  id: string;
  to_email: string;
  subject: string;
  html: string;
  text_body: string;
  link: string | null;
  kind: string;
}

/** The mails the embedded Auth "sent" to `email`, oldest first. */
export const mailsTo = (handle: DbHandle, email: string) =>
  handle.query<OutboxRow>(
    `select id::text as id, to_email, subject, html, text_body, link, kind from auth.local_outbox
      where lower(to_email) = lower($1) order by created_at, id`,
    [email],
  );

/** The token_hash of a mail's link. */
export const tokenHashOf = (mail: OutboxRow) => new URL(mail.link!).searchParams.get("token_hash")!;

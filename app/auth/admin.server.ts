import type { AppLoadContext } from "@remix-run/node";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";

/**
 * Supabase Auth's admin API (inviting and, on failure, removing an invited account).
 * Only after the caller's own transaction has shown they may do the thing: this key
 * bypasses Auth's per-user checks, never the database's policies.
 */
export function createAuthAdmin(context: AppLoadContext) {
  const { supabaseUrl, supabaseServiceRoleKey } = context.tongke;
  return createClient(supabaseUrl, supabaseServiceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  }).auth.admin;
}

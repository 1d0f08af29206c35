import { createCookie, redirect } from "@remix-run/node";
import { z } from "zod";
import { cookieSecrets } from "~/config.server";
import type { Toast } from "./toast";

/**
 * What an action tells the reader after it redirects ("the pairing was proposed"): a flash
 * cookie, read once by the next page's root loader, which clears it. The URL stays clean, so
 * the message does not come back on reload, on a shared link or from the browser's history.
 */
const flashCookie = createCookie("tk_toast", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60,
  secrets: cookieSecrets(),
});

const ToastSchema = z.object({
  id: z.string().max(40),
  key: z.string().regex(/^[A-Za-z]+:[\w.-]+$/),
  values: z.record(z.union([z.string().max(200), z.number()])).optional(),
});

/** A redirect that shows `message` on the page it leads to; `headers` keep the action's cookies. */
export async function redirectWithToast(url: string, message: Omit<Toast, "id">, headers: Headers = new Headers()): Promise<Response> {
  const toast: Toast = { id: crypto.randomUUID(), ...message };
  headers.append("set-cookie", await flashCookie.serialize(toast));
  return redirect(url, { headers });
}

/** The toast waiting for this request, if any, and the Set-Cookie value that clears it. */
export async function takeToast(request: Request): Promise<{ toast: Toast | null; clear: string | null }> {
  const header = request.headers.get("cookie");
  if (!header?.includes("tk_toast=")) return { toast: null, clear: null };
  const parsed = ToastSchema.safeParse(await flashCookie.parse(header));
  return { toast: parsed.success ? parsed.data : null, clear: await flashCookie.serialize("", { maxAge: 0 }) };
}

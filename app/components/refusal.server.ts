import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { refusalResponse } from "~/server/refusal.server";
import { REFUSAL_CODES, refusalKeyFor } from "./refusal";

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * A refusal for the app's routes, in the reader's language: JSON (`{ error, message }`) for API
 * routes and callers that ask for JSON, else a minimal page. A document route shows its error
 * page for the status instead (root.tsx); a resource route answers this body.
 */
export async function refusal(request: Request, status: number, headers?: HeadersInit) {
  const key = refusalKeyFor(status);
  const json = new URL(request.url).pathname.startsWith("/api/") || (request.headers.get("accept") ?? "").includes("application/json");
  return refusalResponse(request, { status, error: REFUSAL_CODES[key], key: `${key}.body`, json }, headers);
}

type Handler<Args extends LoaderFunctionArgs | ActionFunctionArgs> = (args: Args) => Promise<Response>;

/**
 * A resource route's loader or action whose thrown 4xx responses (a malformed id, a missing
 * row: `throw new Response("Not found", { status: 404 })`) reach the reader translated, with
 * the thrown response's headers (its cookies) kept.
 */
export function withTranslatedRefusals<Args extends LoaderFunctionArgs | ActionFunctionArgs>(handler: Handler<Args>): Handler<Args> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (thrown) {
      if (!(thrown instanceof Response) || thrown.status < 400 || thrown.status >= 500) throw thrown;
      const type = thrown.headers.get("content-type") ?? "";
      if (type.includes("json")) throw thrown;
      throw await refusal(args.request, thrown.status, thrown.headers);
    }
  };
}

/** The action of a resource route that takes no writes: a translated 405 rather than Remix's untranslated one. */
export const methodNotAllowed = async ({ request }: ActionFunctionArgs) => refusal(request, 405, { allow: "GET, HEAD" });

/**
 * The form an action was sent: a page's form (URL-encoded or multipart) or nothing at all.
 * Anything else — JSON, text, a multipart body without its boundary or cut short, bad
 * percent-encoding — is the sender's mistake, thrown as a translated 415 or 400, never a 500.
 */
export async function readFormData(request: Request): Promise<FormData> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "") {
    // A form with no fields may come without a type; a body without one is not a form.
    if ((await request.text()) === "") return new FormData();
    throw await refusal(request, 415);
  }
  if (!FORM_TYPES.has(type)) throw await refusal(request, 415);
  try {
    return await request.formData();
  } catch {
    throw await refusal(request, 400);
  }
}

/**
 * The one way a page with several forms tells them apart: each form sends a hidden `intent`,
 * and the action names a handler per intent. An intent the page does not have is the sender's
 * mistake (a translated 400), never a fall-through to another form's handler.
 */
export async function byIntent<Handlers extends Record<string, (formData: FormData) => Promise<unknown>>>(
  request: Request,
  formData: FormData,
  handlers: Handlers,
): Promise<Awaited<ReturnType<Handlers[keyof Handlers]>>> {
  const intent = formData.get("intent");
  if (typeof intent !== "string" || !Object.hasOwn(handlers, intent)) throw await refusal(request, 400);
  return (await handlers[intent](formData)) as Awaited<ReturnType<Handlers[keyof Handlers]>>;
}

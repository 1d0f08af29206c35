import { z } from "zod";

const Uuid = z.string().uuid();

/** A route's id parameter, or a 404: a malformed id names nothing that exists. */
export function requireUuidParam(value: string | undefined): string {
  const parsed = Uuid.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

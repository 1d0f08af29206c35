import { z } from "zod";

/** The LiveKit data topic on which a stored chat message is relayed for instant delivery. */
export const CHAT_TOPIC = "tongke.chat";

const MAX_PAYLOAD_BYTES = 16_384;

export const ChatMessageSchema = z.object({
  id: z.string().min(1).max(64),
  authorId: z.string().min(1).max(128),
  authorName: z.string().max(200),
  body: z.string().min(1).max(4000),
  createdAt: z
    .string()
    .max(40)
    .refine((value) => !Number.isNaN(Date.parse(value))),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

const time = (m: ChatMessage) => Date.parse(m.createdAt);

/** History plus new messages: one per id (the server's copy wins), oldest first. */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current as ChatMessage[];
  const byId = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const message of incoming) {
    if (byId.has(message.id)) continue;
    byId.set(message.id, message);
    changed = true;
  }
  if (!changed) return current as ChatMessage[];
  return [...byId.values()].sort((a, b) => time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Where the next poll starts: the newest message we hold. */
export function latestCreatedAt(messages: readonly ChatMessage[]): string | null {
  return messages.length ? messages[messages.length - 1].createdAt : null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodeChat(message: ChatMessage): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify(ChatMessageSchema.parse(message)));
}

/**
 * A relayed message, or null when malformed or when it claims another author than the
 * participant who sent it (LiveKit verifies the sender's identity, not the payload).
 */
export function decodeChat(payload: Uint8Array, sender: string | undefined): ChatMessage | null {
  if (payload.byteLength === 0 || payload.byteLength > MAX_PAYLOAD_BYTES) return null;
  try {
    const result = ChatMessageSchema.safeParse(JSON.parse(decoder.decode(payload)));
    if (!result.success || result.data.authorId !== sender) return null;
    return result.data;
  } catch {
    return null;
  }
}

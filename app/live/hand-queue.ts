import { z } from "zod";

/** The LiveKit data topic of raise-hand messages. */
export const HAND_TOPIC = "tongke.hand";

/** Longer payloads are not ours: a full queue of a joint class is a few KB at most. */
const MAX_PAYLOAD_BYTES = 16_384;
const MAX_QUEUE = 200;

const Identity = z.string().min(1).max(128);
const Name = z.string().trim().min(1).max(100);
const Time = z.number().finite().nonnegative();

const HandEntrySchema = z.object({ identity: Identity, name: Name, at: Time });
export type HandEntry = z.infer<typeof HandEntrySchema>;

export const HandMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("raise"), identity: Identity, name: Name, at: Time }),
  z.object({ type: z.literal("lower"), identity: Identity }),
  z.object({ type: z.literal("clear") }),
  /** The main teacher's whole queue, sent to late joiners so everyone sees the same order. */
  z.object({ type: z.literal("sync"), queue: z.array(HandEntrySchema).max(MAX_QUEUE) }),
]);
export type HandMessage = z.infer<typeof HandMessageSchema>;

export interface HandContext {
  /** Who sent the message: LiveKit's verified identity of the publisher, or our own for local actions. */
  sender: string;
  mainTeacherId: string;
}

const byTime = (a: HandEntry, b: HandEntry) => a.at - b.at || (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0);

/** Ordered by when each hand went up; one entry per identity, the earliest kept. */
function normalise(entries: readonly HandEntry[]): HandEntry[] {
  const first = new Map<string, HandEntry>();
  for (const entry of [...entries].sort(byTime)) {
    if (!first.has(entry.identity)) first.set(entry.identity, entry);
  }
  return [...first.values()].slice(0, MAX_QUEUE);
}

/**
 * The raise-hand queue after one message. Everyone raises and lowers only their own hand;
 * the main teacher may also lower anyone's (calling on them), clear the queue and sync it.
 * Anything else is ignored, so a participant cannot jump or empty the queue.
 */
export function handQueue(queue: readonly HandEntry[], message: HandMessage, { sender, mainTeacherId }: HandContext): HandEntry[] {
  const isMainTeacher = sender === mainTeacherId;
  switch (message.type) {
    case "raise":
      if (message.identity !== sender || queue.some((e) => e.identity === sender)) return [...queue];
      return normalise([...queue, { identity: message.identity, name: message.name.trim(), at: message.at }]);
    case "lower":
      if (message.identity !== sender && !isMainTeacher) return [...queue];
      return queue.filter((e) => e.identity !== message.identity);
    case "clear":
      return isMainTeacher ? [] : [...queue];
    case "sync":
      return isMainTeacher ? normalise(message.queue) : [...queue];
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodeHand(message: HandMessage): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify(HandMessageSchema.parse(message)));
}

/** The message in a data packet, or null for anything malformed. */
export function decodeHand(payload: Uint8Array): HandMessage | null {
  if (payload.byteLength === 0 || payload.byteLength > MAX_PAYLOAD_BYTES) return null;
  try {
    const result = HandMessageSchema.safeParse(JSON.parse(decoder.decode(payload)));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

import { useCallback, useEffect, useRef, useState } from "react";
import { ChatMessageSchema, decodeChat, latestCreatedAt, mergeMessages, type ChatMessage } from "./chat-messages";

export type SendFailure = { message: string } | { key: "network" | "failed" };

/** The relay over LiveKit is instant; polling our server is the fallback when it is not there. */
const POLL_MS = 10_000;

function valid(list: unknown): ChatMessage[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const result = ChatMessageSchema.safeParse(item);
    return result.success ? [result.data] : [];
  });
}

/**
 * The chat of a live session. Messages are stored by our server, so history and posting work
 * while the video server is unreachable; when connected, each stored message is also relayed
 * to the room, and every copy is deduplicated by id.
 */
export function useChat({
  sessionId,
  initial,
  relay,
}: {
  sessionId: string;
  initial: ChatMessage[];
  relay: (message: ChatMessage) => void;
}) {
  const [messages, setMessages] = useState(() => mergeMessages([], valid(initial)));
  const [pollFailed, setPollFailed] = useState(false);
  const after = useRef(latestCreatedAt(messages));
  after.current = latestCreatedAt(messages);
  const url = `/api/live-sessions/${sessionId}/chat`;

  const add = useCallback((incoming: ChatMessage[]) => setMessages((current) => mergeMessages(current, incoming)), []);

  useEffect(() => {
    let timer: number | undefined;
    let stopped = false;
    const poll = async () => {
      try {
        const query = after.current ? `?after=${encodeURIComponent(after.current)}` : "";
        const response = await fetch(`${url}${query}`, {
          credentials: "same-origin",
          cache: "no-store",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`chat poll ${response.status}`);
        const body = (await response.json()) as { messages?: unknown };
        if (!stopped) {
          add(valid(body.messages));
          setPollFailed(false);
        }
      } catch {
        if (!stopped) setPollFailed(true);
      } finally {
        if (!stopped) timer = window.setTimeout(poll, POLL_MS);
      }
    };
    timer = window.setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [url, add]);

  /** Posts a message; resolves to null once it is stored, or to the server's message or our key for the failure. */
  const send = useCallback(
    async (body: string): Promise<SendFailure | null> => {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ body }),
        });
      } catch {
        return { key: "network" };
      }
      const result = (await response.json().catch(() => ({}))) as { message?: unknown; error?: unknown };
      const stored = ChatMessageSchema.safeParse(result.message);
      if (response.status !== 201 || !stored.success) {
        return typeof result.error === "string" && result.error ? { message: result.error } : { key: "failed" };
      }
      add([stored.data]);
      relay(stored.data);
      return null;
    },
    [url, add, relay],
  );

  const receive = useCallback(
    (payload: Uint8Array, sender: string | undefined) => {
      const message = decodeChat(payload, sender);
      if (message) add([message]);
    },
    [add],
  );

  return { messages, pollFailed, send, receive };
}

import type { Room } from "livekit-client";
import { useCallback, useEffect, useRef, useState } from "react";
import { HAND_TOPIC, decodeHand, encodeHand, handQueue, type HandEntry, type HandMessage } from "../hand-queue";

/**
 * The raise-hand queue as this participant sees it. Every change is applied locally and sent
 * reliably to the room; the main teacher's copy is the reference that late joiners receive.
 */
export function useHands({ me, mainTeacherId, room }: { me: { id: string; name: string }; mainTeacherId: string; room: Room | null }) {
  const [queue, setQueue] = useState<HandEntry[]>([]);
  const latest = useRef({ queue, room });
  latest.current = { queue, room };

  const send = useCallback((message: HandMessage, destinationIdentities?: string[]) => {
    const participant = latest.current.room?.localParticipant;
    if (!participant) return;
    Promise.resolve()
      .then(() => participant.publishData(encodeHand(message), { reliable: true, topic: HAND_TOPIC, destinationIdentities }))
      .catch((error: unknown) => console.warn("Raise-hand message not sent", error));
  }, []);

  const act = useCallback(
    (message: HandMessage) => {
      setQueue((q) => handQueue(q, message, { sender: me.id, mainTeacherId }));
      send(message);
    },
    [me.id, mainTeacherId, send],
  );

  const receive = useCallback(
    (payload: Uint8Array, sender: string | undefined) => {
      const message = decodeHand(payload);
      if (message && sender) setQueue((q) => handQueue(q, message, { sender, mainTeacherId }));
    },
    [mainTeacherId],
  );

  /** Late joiners get the main teacher's queue; a main teacher who (re)joins gets our raised hand back. */
  const participantJoined = useCallback(
    (identity: string) => {
      const { queue: current } = latest.current;
      if (me.id === mainTeacherId) {
        send({ type: "sync", queue: current }, [identity]);
      } else if (identity === mainTeacherId) {
        const mine = current.find((entry) => entry.identity === me.id);
        if (mine) send({ type: "raise", ...mine }, [identity]);
      }
    },
    [me.id, mainTeacherId, send],
  );

  // Whoever joins after a disconnect starts from the room's queue, not a stale one.
  useEffect(() => {
    if (room && me.id !== mainTeacherId) setQueue([]);
  }, [room, me.id, mainTeacherId]);

  const raised = queue.some((entry) => entry.identity === me.id);
  return {
    queue,
    raised,
    position: queue.findIndex((entry) => entry.identity === me.id) + 1,
    raise: () => act({ type: "raise", identity: me.id, name: me.name.trim().slice(0, 100) || me.id, at: Date.now() }),
    lower: (identity: string = me.id) => act({ type: "lower", identity }),
    clear: () => act({ type: "clear" }),
    receive,
    participantJoined,
  };
}

export type Hands = ReturnType<typeof useHands>;

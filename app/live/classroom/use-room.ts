import { DisconnectReason, Room, RoomEvent, Track, type ConnectionQuality, type Participant, type RemoteParticipant } from "livekit-client";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import type { LiveRole } from "~/db/enums";
import { connectOptions, ladderPolicy, remoteVideoWanted, roomOptions, type LadderStep, type LinkQuality } from "../room-options";

export type Phase =
  | { name: "prejoin" }
  | { name: "joining" }
  | { name: "connected" }
  /** The token endpoint refused (403/404/409, or 401 when signed out): its message is already translated. */
  | { name: "refused"; message: string }
  | { name: "failed"; reason: "unreachable" | "network" | "server" }
  | { name: "disconnected"; reason: "removed" | "duplicate" | "ended" | "lost" }
  | { name: "left" };

export interface RoomHandlers {
  onQuality: (quality: LinkQuality) => void;
  onData: (payload: Uint8Array, sender: string | undefined, topic: string | undefined) => void;
  onParticipantJoined: (identity: string) => void;
}

/** A connection attempt that neither succeeds nor fails by then counts as unreachable. */
const JOIN_DEADLINE_MS = 90_000;

/** Anything that changes what the stage shows. */
const STAGE_EVENTS = [
  RoomEvent.ParticipantConnected,
  RoomEvent.ParticipantDisconnected,
  RoomEvent.TrackPublished,
  RoomEvent.TrackUnpublished,
  RoomEvent.TrackSubscribed,
  RoomEvent.TrackUnsubscribed,
  RoomEvent.TrackMuted,
  RoomEvent.TrackUnmuted,
  RoomEvent.LocalTrackPublished,
  RoomEvent.LocalTrackUnpublished,
  RoomEvent.ActiveSpeakersChanged,
  RoomEvent.ParticipantNameChanged,
  RoomEvent.ParticipantPermissionsChanged,
  RoomEvent.AudioPlaybackStatusChanged,
] as const;

function disconnectReason(reason: DisconnectReason | undefined): "removed" | "duplicate" | "ended" | "lost" {
  switch (reason) {
    case DisconnectReason.PARTICIPANT_REMOVED:
      return "removed";
    case DisconnectReason.DUPLICATE_IDENTITY:
      return "duplicate";
    case DisconnectReason.ROOM_DELETED:
      return "ended";
    default:
      return "lost";
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("connect deadline")), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function fetchToken(sessionId: string): Promise<{ serverUrl: string; participantToken: string } | Phase> {
  let response: Response;
  try {
    response = await fetch(`/api/live-sessions/${sessionId}/token`, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  } catch {
    return { name: "failed", reason: "network" };
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok && response.status < 500 && typeof body.error === "string" && body.error) {
    return { name: "refused", message: body.error };
  }
  if (!response.ok || typeof body.serverUrl !== "string" || typeof body.participantToken !== "string") {
    return { name: "failed", reason: "server" };
  }
  return { serverUrl: body.serverUrl, participantToken: body.participantToken };
}

/**
 * Whether our own server still answers: when it does and the video server did not, the video
 * server is down (or blocked), not the teacher's network.
 */
async function tongkeAnswers(): Promise<boolean> {
  try {
    const response = await fetch("/healthz", { cache: "no-store", signal: AbortSignal.timeout(15_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Subscribes to the remote video this ladder step wants, at the quality it wants, and drops the rest. */
function applyLadder(room: Room, step: LadderStep, role: LiveRole, pinned: readonly string[]) {
  const policy = ladderPolicy(step, { isMainTeacher: role === "main" });
  for (const participant of room.remoteParticipants.values()) {
    for (const publication of participant.videoTrackPublications.values()) {
      const screenShare = publication.source === Track.Source.ScreenShare;
      const wanted = remoteVideoWanted(policy, { publisher: participant.identity, screenShare }, pinned);
      if (publication.isDesired !== wanted.subscribe) publication.setSubscribed(wanted.subscribe);
      if (wanted.subscribe) publication.setVideoQuality(wanted.quality);
    }
  }
}

/**
 * The LiveKit room of one live session: joining with a token from our server, the state of
 * the connection, and a version number that changes whenever the stage should re-render.
 */
export function useRoom({
  sessionId,
  role,
  pinned: pinnedList,
  step,
  handlers,
}: {
  sessionId: string;
  role: LiveRole;
  /** Whose camera "teacher video only" keeps: the main teacher's, or for the main teacher the remote classrooms'. */
  pinned: readonly string[];
  step: LadderStep;
  handlers: RoomHandlers;
}) {
  // A stable value for the effects below: the list is rebuilt on every render.
  const pinnedKey = pinnedList.join(",");
  const pinned = useMemo(() => (pinnedKey ? pinnedKey.split(",") : []), [pinnedKey]);
  const [phase, setPhase] = useState<Phase>({ name: "prejoin" });
  const [room, setRoom] = useState<Room | null>(null);
  const [reconnecting, setReconnecting] = useState(false);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const current = useRef<Room | null>(null);
  const leaving = useRef(false);
  const joining = useRef(false);
  const alive = useRef(true);
  const latest = useRef({ handlers, step });
  latest.current = { handlers, step };

  const join = useCallback(async () => {
    if (current.current || joining.current) return;
    joining.current = true;
    leaving.current = false;
    setPhase({ name: "joining" });
    const token = await fetchToken(sessionId);
    joining.current = false;
    if (!alive.current) return;
    if ("name" in token) {
      setPhase(token);
      return;
    }

    const instance = new Room(roomOptions(role));
    current.current = instance;
    const onStage = () => bump();
    for (const event of STAGE_EVENTS) instance.on(event, onStage);
    instance
      .on(RoomEvent.Reconnecting, () => setReconnecting(true))
      .on(RoomEvent.SignalReconnecting, () => setReconnecting(true))
      .on(RoomEvent.Reconnected, () => setReconnecting(false))
      .on(RoomEvent.ConnectionQualityChanged, (quality: ConnectionQuality, participant: Participant) => {
        if (participant.isLocal) latest.current.handlers.onQuality(quality as LinkQuality);
      })
      .on(RoomEvent.DataReceived, (payload, participant, _kind, topic) =>
        latest.current.handlers.onData(payload, participant?.identity, topic),
      )
      .on(RoomEvent.ParticipantConnected, (participant: RemoteParticipant) =>
        latest.current.handlers.onParticipantJoined(participant.identity),
      )
      // Apply the ladder before the first frame arrives, not on the next render.
      .on(RoomEvent.TrackPublished, () => applyLadder(instance, latest.current.step, role, pinned))
      .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
        if (current.current !== instance) return;
        current.current = null;
        instance.removeAllListeners();
        if (!alive.current) return;
        setRoom(null);
        setReconnecting(false);
        setPhase(leaving.current ? { name: "left" } : { name: "disconnected", reason: disconnectReason(reason) });
      });

    try {
      await instance.prepareConnection(token.serverUrl, token.participantToken);
      await withDeadline(instance.connect(token.serverUrl, token.participantToken, connectOptions()), JOIN_DEADLINE_MS);
    } catch {
      if (current.current === instance) current.current = null;
      instance.removeAllListeners();
      await instance.disconnect().catch(() => undefined);
      const reason = (await tongkeAnswers()) ? "unreachable" : "network";
      if (alive.current) setPhase({ name: "failed", reason });
      return;
    }
    if (!alive.current || current.current !== instance) {
      await instance.disconnect();
      return;
    }
    applyLadder(instance, latest.current.step, role, pinned);
    setRoom(instance);
    setPhase({ name: "connected" });
  }, [sessionId, role, pinned]);

  const leave = useCallback(async () => {
    leaving.current = true;
    const instance = current.current;
    if (instance) await instance.disconnect(false);
    else setPhase({ name: "left" });
  }, []);

  useEffect(() => {
    if (room) applyLadder(room, step, role, pinned);
  }, [room, step, role, pinned, version]);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      const instance = current.current;
      current.current = null;
      void instance?.disconnect();
    };
  }, []);

  return { phase, room, reconnecting, version, join, leave };
}

export type LiveRoom = ReturnType<typeof useRoom>;

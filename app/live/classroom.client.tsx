import { useCallback, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import "~/styles/classroom.css";
import type { LiveRole } from "~/db/enums";
import { HAND_TOPIC } from "./hand-queue";
import { ladderPolicy } from "./room-options";
import { ChatPanel } from "./classroom/chat-panel";
import { CHAT_TOPIC, encodeChat, type ChatMessage } from "./classroom/chat-messages";
import { Controls } from "./classroom/controls";
import { HandPanel } from "./classroom/hand-panel";
import { LadderControl } from "./classroom/ladder-control";
import { PlanPanel } from "./classroom/plan-panel";
import { Prejoin } from "./classroom/prejoin";
import { Stage } from "./classroom/stage";
import { useChat } from "./classroom/use-chat";
import { useHands } from "./classroom/use-hands";
import { useLadder } from "./classroom/use-ladder";
import { useLocalMedia } from "./classroom/use-local-media";
import { useRoom, type RoomHandlers } from "./classroom/use-room";

export type { ChatMessage };

export interface ClassroomProps {
  sessionId: string;
  title: string;
  role: LiveRole;
  user: { id: string; name: string };
  /** LiveKit identity = user id. */
  mainTeacherId: string;
  /** The remote classroom(s)' accounts: pinned large with the main teacher. */
  receivingTeacherIds: string[];
  /** Main teacher only. */
  canModerate: boolean;
  /** html: the server-rendered, sanitized read view, shown until the live document syncs. */
  plan: { id: string; title: string; html: string } | null;
  chat: ChatMessage[];
  lang: string;
}

/**
 * The live joint class: a device check and join, the stage, controls and low-bandwidth ladder,
 * the raise-hand queue, the linked lesson plan and the chat. The plan and chat never depend on
 * the video server, so a class in Leiwuqi keeps them when the video link is down.
 */
export default function Classroom(props: ClassroomProps) {
  const { sessionId, title, role, user, mainTeacherId, receivingTeacherIds, canModerate, plan, chat: history, lang } = props;
  const { t } = useTranslation("classroom");
  const isMainTeacher = role === "main";
  const ladder = useLadder();

  // The room hook needs handlers from hooks that need the room: they meet through this ref.
  const bridge = useRef<RoomHandlers | null>(null);
  const live = useRoom({
    sessionId,
    role,
    pinned: role === "main" ? receivingTeacherIds : [mainTeacherId],
    step: ladder.step,
    handlers: {
      onQuality: (quality) => bridge.current?.onQuality(quality),
      onData: (payload, sender, topic) => bridge.current?.onData(payload, sender, topic),
      onParticipantJoined: (identity) => bridge.current?.onParticipantJoined(identity),
    },
  });
  const connected = live.phase.name === "connected" && live.room !== null;
  const policy = ladderPolicy(ladder.step, { isMainTeacher });
  const media = useLocalMedia({ role, local: policy.local, room: live.room });
  const hands = useHands({ me: user, mainTeacherId, room: live.room });

  const roomRef = useRef(live.room);
  roomRef.current = live.room;
  const relay = useCallback((message: ChatMessage) => {
    roomRef.current?.localParticipant
      .publishData(encodeChat(message), { reliable: true, topic: CHAT_TOPIC })
      .catch((error: unknown) => console.warn("Chat relay failed; the others will poll it", error));
  }, []);
  const chat = useChat({ sessionId, initial: history, relay });

  bridge.current = {
    onQuality: ladder.observe,
    onData: (payload, sender, topic) => {
      if (topic === HAND_TOPIC) hands.receive(payload, sender);
      else if (topic === CHAT_TOPIC) chat.receive(payload, sender);
    },
    onParticipantJoined: hands.participantJoined,
  };

  const { observe } = ladder;
  useEffect(() => {
    if (!live.room) observe("unknown");
  }, [live.room, observe]);

  // Audio only means audio only: a running screen share stops too.
  const room = live.room;
  const videoAllowed = policy.local.publish;
  useEffect(() => {
    if (room && !videoAllowed && room.localParticipant.isScreenShareEnabled) {
      room.localParticipant.setScreenShareEnabled(false).catch(() => undefined);
    }
  }, [room, videoAllowed, live.version]);

  async function leave() {
    await live.leave();
    media.release();
  }

  function join() {
    // An observer's microphone test ends when the class starts: observers never publish.
    if (!media.publishes) media.setMicWanted(false);
    void live.join();
  }

  return (
    <div className="classroom">
      <div className="classroom-header">
        <p className="muted">
          {isMainTeacher ? t("role.main") : role === "receiving" ? t("role.receiving") : t("role.observer")}
          {" · "}
          {connected ? t("status.connected") : t("status.notConnected")}
        </p>
        {/* Present from the start so screen readers announce it when the text appears. */}
        <p className={connected && live.reconnecting ? "reconnecting" : undefined} role="status" data-testid="reconnecting">
          {connected && live.reconnecting ? t("status.reconnecting") : ""}
        </p>
      </div>
      <div className="classroom-layout">
        <div className="classroom-main">
          {connected && room ? (
            <>
              <Stage
                title={title}
                room={room}
                people={{ me: user, mainTeacherId, receivingTeacherIds }}
                local={{ video: media.videoTrack, preview: media.preview, micOn: media.micOn, publishes: media.publishes }}
                canModerate={canModerate}
                sessionId={sessionId}
              />
              <Controls room={room} role={role} media={media} hands={hands} videoAllowed={videoAllowed} onLeave={() => void leave()} />
            </>
          ) : (
            <Prejoin role={role} media={media} phase={live.phase} cameraAllowed={videoAllowed} onJoin={join} />
          )}
          <LadderControl
            step={ladder.step}
            notice={ladder.notice}
            quality={ladder.quality}
            connected={connected}
            onChoose={ladder.choose}
          />
        </div>
        <div className="classroom-side">
          {isMainTeacher ? <HandPanel hands={hands} connected={connected} lang={lang} /> : null}
          <PlanPanel plan={plan} />
          <ChatPanel messages={chat.messages} me={user.id} pollFailed={chat.pollFailed} lang={lang} onSend={chat.send} />
        </div>
      </div>
    </div>
  );
}

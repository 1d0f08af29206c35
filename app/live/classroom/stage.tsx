import { Track, type Participant, type Room } from "livekit-client";
import { useTranslation } from "react-i18next";
import { AudioView, VideoView } from "./media-view";
import { Moderation } from "./moderation";
import type { PreviewState } from "./use-local-media";

export interface StagePeople {
  me: { id: string; name: string };
  mainTeacherId: string;
  receivingTeacherIds: string[];
}

interface TileModel {
  key: string;
  identity: string;
  name: string;
  isLocal: boolean;
  kind: "main" | "receiving" | "other";
  video: Track | undefined;
  /** Has a camera on, but this step of the ladder does not receive it. */
  videoPaused: boolean;
  micMuted: boolean;
  micSid: string | undefined;
  speaking: boolean;
  present: boolean;
}

function cameraOf(participant: Participant): Track | undefined {
  const publication = participant.getTrackPublication(Track.Source.Camera);
  if (!publication || publication.isMuted || !publication.track) return undefined;
  return publication.track;
}

function tileOf(
  participant: Participant,
  people: StagePeople,
  local: { video: Track | null; preview: PreviewState; micOn: boolean },
): TileModel {
  const mic = participant.getTrackPublication(Track.Source.Microphone);
  const camera = participant.getTrackPublication(Track.Source.Camera);
  const isLocal = participant.isLocal;
  return {
    key: participant.identity,
    identity: participant.identity,
    name: isLocal ? people.me.name : participant.name || participant.identity,
    isLocal,
    kind:
      participant.identity === people.mainTeacherId
        ? "main"
        : people.receivingTeacherIds.includes(participant.identity)
          ? "receiving"
          : "other",
    video: isLocal ? (local.preview.camera === "on" ? (local.video ?? undefined) : undefined) : cameraOf(participant),
    videoPaused: !isLocal && Boolean(camera && !camera.isMuted && !camera.isSubscribed),
    micMuted: isLocal ? !local.micOn : !mic || mic.isMuted,
    micSid: mic?.trackSid,
    speaking: participant.isSpeaking,
    present: true,
  };
}

function Tile({
  tile,
  large,
  local,
  localVideo,
  canModerate,
  sessionId,
}: {
  tile: TileModel;
  large: boolean;
  local: PreviewState;
  localVideo: Track | null;
  canModerate: boolean;
  sessionId: string;
}) {
  const { t } = useTranslation("classroom");
  const badge = tile.kind === "main" ? t("stage.mainTeacher") : tile.kind === "receiving" ? t("stage.remoteClass") : null;
  return (
    <li className={`tile${large ? " tile--large" : ""}${tile.speaking ? " tile--speaking" : ""}`} data-identity={tile.identity}>
      <div className="tile-media">
        {tile.isLocal && localVideo ? (
          <VideoView
            track={localVideo}
            className="tile-video tile-video--mirror"
            hidden={local.camera === "off"}
            data-testid="local-preview"
            data-camera={local.camera}
            data-width={local.width}
            data-height={local.height}
          />
        ) : tile.video ? (
          <VideoView track={tile.video} className="tile-video" />
        ) : null}
        {tile.video ? null : (
          <div className="tile-placeholder">
            <span className="tile-initial" aria-hidden="true">
              {Array.from(tile.name.trim())[0] ?? "?"}
            </span>
            <span>{!tile.present ? t("stage.notJoined") : tile.videoPaused ? t("stage.videoPaused") : t("stage.noVideo")}</span>
          </div>
        )}
      </div>
      <div className="tile-caption">
        <span className="tile-name">
          {tile.name}
          {tile.isLocal ? ` ${t("stage.you")}` : ""}
        </span>
        {badge ? <span className="tile-badge">{badge}</span> : null}
        {tile.present && tile.micMuted ? <span className="tile-state">{t("stage.micMuted")}</span> : null}
        {tile.speaking ? <span className="tile-state tile-state--speaking">{t("stage.speaking")}</span> : null}
      </div>
      {canModerate && tile.present && !tile.isLocal ? (
        <Moderation sessionId={sessionId} identity={tile.identity} name={tile.name} micSid={tile.micMuted ? undefined : tile.micSid} />
      ) : null}
    </li>
  );
}

/**
 * The joint class on screen: screen shares first and large, then the main teacher and the
 * remote classroom(s) pinned large side by side, then everyone else small. Observers (who
 * cannot publish) are counted, not shown.
 */
export function Stage({
  title,
  room,
  people,
  local,
  canModerate,
  sessionId,
}: {
  title: string;
  room: Room;
  people: StagePeople;
  local: { video: Track | null; preview: PreviewState; micOn: boolean; publishes: boolean };
  canModerate: boolean;
  sessionId: string;
}) {
  const { t } = useTranslation("classroom");
  const remotes = [...room.remoteParticipants.values()];
  const everyone: Participant[] = [...(local.publishes ? [room.localParticipant] : []), ...remotes];
  const byIdentity = new Map(everyone.map((p) => [p.identity, p]));
  const pinnedIds = [people.mainTeacherId, ...people.receivingTeacherIds.filter((id) => id !== people.mainTeacherId)];
  const pinned: TileModel[] = pinnedIds.map((identity, index) => {
    const participant = byIdentity.get(identity);
    if (participant) return tileOf(participant, people, local);
    return {
      key: `absent-${identity}`,
      identity,
      name: index === 0 ? t("stage.mainTeacher") : t("stage.remoteClass"),
      isLocal: false,
      kind: index === 0 ? "main" : "receiving",
      video: undefined,
      videoPaused: false,
      micMuted: true,
      micSid: undefined,
      speaking: false,
      present: false,
    };
  });
  const observers = new Set(
    remotes.filter((p) => p.permissions?.canPublish === false && !pinnedIds.includes(p.identity)).map((p) => p.identity),
  );
  const others = everyone.filter((p) => !pinnedIds.includes(p.identity) && !observers.has(p.identity)).map((p) => tileOf(p, people, local));
  const screens = everyone.flatMap((p) => {
    const publication = p.getTrackPublication(Track.Source.ScreenShare);
    if (!publication?.track || publication.isMuted) return [];
    const name = p.isLocal ? people.me.name : p.name || p.identity;
    return [{ key: `${p.identity}-screen`, name, track: publication.track }];
  });
  const audio = remotes.flatMap((p) =>
    [...p.audioTrackPublications.values()].flatMap((publication) =>
      publication.track ? [{ key: publication.trackSid, track: publication.track }] : [],
    ),
  );

  return (
    <section className="stage" aria-label={t("stage.label", { title })}>
      {screens.length ? (
        <ul className="stage-screens">
          {screens.map((screen) => (
            <li key={screen.key} className="tile tile--screen">
              <div className="tile-media">
                <VideoView track={screen.track} className="tile-video tile-video--contain" />
              </div>
              <div className="tile-caption">
                <span className="tile-name">{t("stage.screenOf", { name: screen.name })}</span>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <ul className="stage-pinned">
        {pinned.map((tile) => (
          <Tile
            key={tile.key}
            tile={tile}
            large
            local={local.preview}
            localVideo={local.video}
            canModerate={canModerate}
            sessionId={sessionId}
          />
        ))}
      </ul>
      {others.length ? (
        <ul className="stage-strip">
          {others.map((tile) => (
            <Tile
              key={tile.key}
              tile={tile}
              large={false}
              local={local.preview}
              localVideo={local.video}
              canModerate={canModerate}
              sessionId={sessionId}
            />
          ))}
        </ul>
      ) : null}
      {observers.size ? <p className="muted">{t("stage.observers", { count: observers.size })}</p> : null}
      {audio.map((item) => (
        <AudioView key={item.key} track={item.track} />
      ))}
    </section>
  );
}

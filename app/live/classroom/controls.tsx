import type { Room } from "livekit-client";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LiveRole } from "~/db/enums";
import type { Hands } from "./use-hands";
import type { LocalMedia } from "./use-local-media";

/** Toggle buttons keep one name and say their state with aria-pressed; the visible on/off is decoration. */
function Toggle({
  pressed,
  label,
  onClick,
  disabled,
  className = "",
}: {
  pressed: boolean;
  label: string;
  onClick: () => void;
  disabled?: boolean;
  className?: string;
}) {
  const { t } = useTranslation("classroom");
  return (
    <button
      type="button"
      className={`button button--secondary toggle ${className}`}
      aria-pressed={pressed}
      disabled={disabled}
      onClick={onClick}
    >
      <span>{label}</span>
      <span className="toggle-state" aria-hidden="true">
        {pressed ? t("controls.on") : t("controls.off")}
      </span>
    </button>
  );
}

export function Controls({
  room,
  role,
  media,
  hands,
  videoAllowed,
  onLeave,
}: {
  room: Room;
  role: LiveRole;
  media: LocalMedia;
  hands: Hands;
  /** False on the audio-only step: no camera and no screen share. */
  videoAllowed: boolean;
  onLeave: () => void;
}) {
  const { t } = useTranslation("classroom");
  const [shareError, setShareError] = useState<string | null>(null);
  const [sharingBusy, setSharingBusy] = useState(false);
  const publishes = role !== "observer";
  const sharing = room.localParticipant.isScreenShareEnabled;
  const group = useRef<HTMLDivElement>(null);

  // The join button is gone once the class is on screen: keyboard focus moves to the controls.
  useEffect(() => group.current?.focus(), []);

  async function toggleShare() {
    setShareError(null);
    setSharingBusy(true);
    try {
      await room.localParticipant.setScreenShareEnabled(!sharing, { audio: false, contentHint: "detail", selfBrowserSurface: "exclude" });
    } catch (error) {
      // Cancelling the browser's picker is a choice, not an error.
      if (!(error instanceof Error && error.name === "NotAllowedError")) setShareError(t("controls.shareFailed"));
    } finally {
      setSharingBusy(false);
    }
  }

  return (
    <div ref={group} className="controls" role="group" aria-label={t("controls.label")} tabIndex={-1}>
      {!room.canPlaybackAudio ? (
        <button type="button" className="button start-audio" onClick={() => void room.startAudio()}>
          {t("controls.startAudio")}
        </button>
      ) : null}
      {publishes ? (
        <>
          <Toggle pressed={media.micOn} label={t("controls.mic")} onClick={() => media.setMicWanted(!media.micWanted)} />
          <Toggle
            pressed={media.cameraWanted && videoAllowed}
            label={t("controls.camera")}
            disabled={!videoAllowed}
            onClick={() => media.setCameraWanted(!media.cameraWanted)}
          />
          <Toggle
            pressed={sharing}
            label={t("controls.share")}
            disabled={sharingBusy || (!videoAllowed && !sharing)}
            onClick={() => void toggleShare()}
          />
        </>
      ) : null}
      <Toggle
        pressed={hands.raised}
        label={role === "receiving" ? t("hand.raiseClass") : t("hand.raise")}
        className={role === "receiving" ? "hand-button hand-button--class" : "hand-button"}
        onClick={() => (hands.raised ? hands.lower() : hands.raise())}
      />
      <button type="button" className="button button--danger" onClick={onLeave}>
        {t("controls.leave")}
      </button>
      {!videoAllowed && publishes ? <p className="muted small controls-note">{t("controls.audioOnlyNote")}</p> : null}
      {hands.raised && role !== "main" ? (
        <p className="notice small" role="status">
          {t("hand.position", { position: hands.position })}
        </p>
      ) : null}
      {shareError ? (
        <p className="field-error" role="alert">
          {shareError}
        </p>
      ) : null}
    </div>
  );
}

import { useId } from "react";
import { useTranslation } from "react-i18next";
import { PlainSelect } from "~/components/plain-fields";
import type { LiveRole } from "~/db/enums";
import { VideoView } from "./media-view";
import { JoinStatus } from "./join-status";
import type { DeviceError, LocalMedia } from "./use-local-media";
import { useMicLevel } from "./use-mic-level";
import type { Phase } from "./use-room";

function useDeviceErrorText() {
  const { t } = useTranslation("classroom");
  return {
    camera: (error: DeviceError) => {
      switch (error) {
        case "denied":
          return t("devices.cameraDenied");
        case "missing":
          return t("devices.cameraMissing");
        case "busy":
          return t("devices.cameraBusy");
        case "unsupported":
          return t("devices.unsupported");
        case "other":
          return t("devices.cameraOther");
      }
    },
    mic: (error: DeviceError) => {
      switch (error) {
        case "denied":
          return t("devices.micDenied");
        case "missing":
          return t("devices.micMissing");
        case "busy":
          return t("devices.micBusy");
        case "unsupported":
          return t("devices.unsupported");
        case "other":
          return t("devices.micOther");
      }
    },
  };
}

function DevicePicker({
  label,
  devices,
  value,
  onChange,
}: {
  label: string;
  devices: MediaDeviceInfo[];
  value: string;
  onChange: (deviceId: string) => void;
}) {
  const { t } = useTranslation("classroom");
  const id = useId();
  if (devices.length === 0) return null;
  return (
    <PlainSelect id={id} label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{t("devices.default")}</option>
      {devices
        .filter((d) => d.deviceId && d.deviceId !== "default")
        .map((d, index) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || t("devices.unnamed", { number: index + 1 })}
          </option>
        ))}
    </PlainSelect>
  );
}

/**
 * The device check before joining, and the place to come back to when the video server cannot
 * be reached: the preview keeps running while the plan and chat beside it stay usable.
 */
export function Prejoin({
  role,
  media,
  phase,
  cameraAllowed,
  onJoin,
}: {
  role: LiveRole;
  media: LocalMedia;
  phase: Phase;
  /** False on the audio-only step: the camera stays off whatever the toggle says. */
  cameraAllowed: boolean;
  onJoin: () => void;
}) {
  const { t } = useTranslation("classroom");
  const id = useId();
  const errorText = useDeviceErrorText();
  const level = useMicLevel(media.audioTrack, media.micOn);
  const { preview } = media;
  const publishes = role !== "observer";

  return (
    <section className="prejoin" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("prejoin.title")}</h2>
      <JoinStatus phase={phase} onJoin={onJoin} />
      <div className="prejoin-grid">
        {publishes ? (
          <div className="preview">
            <VideoView
              track={media.videoTrack}
              className="preview-video"
              data-testid="local-preview"
              data-camera={preview.camera}
              data-width={preview.width}
              data-height={preview.height}
              aria-hidden={preview.camera === "off" ? true : undefined}
            />
            {preview.camera === "off" ? (
              <p className="preview-off">
                {!cameraAllowed
                  ? t("prejoin.cameraOffAudioOnly")
                  : media.cameraWanted && !media.cameraError
                    ? t("prejoin.cameraStarting")
                    : t("prejoin.cameraOff")}
              </p>
            ) : null}
          </div>
        ) : (
          <p className="muted">{t("prejoin.observerNote")}</p>
        )}
        <div className="prejoin-settings">
          <div className="button-row">
            {publishes ? (
              <button
                type="button"
                className="button button--secondary toggle"
                aria-pressed={media.cameraWanted && cameraAllowed}
                disabled={!cameraAllowed}
                onClick={() => media.setCameraWanted(!media.cameraWanted)}
              >
                {t("controls.camera")}
              </button>
            ) : null}
            <button
              type="button"
              className="button button--secondary toggle"
              aria-pressed={media.micWanted}
              onClick={() => media.setMicWanted(!media.micWanted)}
            >
              {publishes ? t("controls.mic") : t("prejoin.testMic")}
            </button>
          </div>
          {media.cameraError ? (
            <p className="form-error" role="alert">
              {errorText.camera(media.cameraError)}
            </p>
          ) : null}
          {media.micError ? (
            <p className="form-error" role="alert">
              {errorText.mic(media.micError)}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={`${id}-level`}>{t("prejoin.micLevel")}</label>
            <meter id={`${id}-level`} className="mic-meter" min={0} max={1} low={0.1} high={0.9} optimum={0.5} value={level} />
            <p className="muted small">{media.micOn ? t("prejoin.micLevelHint") : t("prejoin.micOff")}</p>
          </div>
          {publishes ? (
            <DevicePicker
              label={t("devices.camera")}
              devices={media.devices.video}
              value={media.videoDeviceId}
              onChange={media.setVideoDeviceId}
            />
          ) : null}
          <DevicePicker
            label={t("devices.mic")}
            devices={media.devices.audio}
            value={media.audioDeviceId}
            onChange={media.setAudioDeviceId}
          />
          {phase.name === "prejoin" || phase.name === "joining" ? (
            <button type="button" className="button join-button" onClick={onJoin} disabled={phase.name === "joining"}>
              {phase.name === "joining" ? t("join.joining") : t("join.join")}
            </button>
          ) : null}
        </div>
      </div>
    </section>
  );
}

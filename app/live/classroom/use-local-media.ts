import {
  MediaDeviceFailure,
  Room,
  Track,
  createLocalAudioTrack,
  createLocalVideoTrack,
  type LocalAudioTrack,
  type LocalVideoTrack,
} from "livekit-client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { LiveRole } from "~/db/enums";
import { audioCaptureOptions, type LadderPolicy } from "../room-options";

export type DeviceError = "denied" | "missing" | "busy" | "unsupported" | "other";

export interface PreviewState {
  camera: "on" | "off";
  width?: number;
  height?: number;
}

interface Desired {
  cameraWanted: boolean;
  micWanted: boolean;
  local: LadderPolicy["local"];
  videoDeviceId: string;
  audioDeviceId: string;
  room: Room | null;
}

function deviceError(error: unknown): DeviceError {
  if (typeof window !== "undefined" && (!window.isSecureContext || !navigator.mediaDevices)) return "unsupported";
  if (error instanceof Error && error.name === "OverconstrainedError") return "missing";
  switch (MediaDeviceFailure.getFailure(error)) {
    case MediaDeviceFailure.PermissionDenied:
      return "denied";
    case MediaDeviceFailure.NotFound:
      return "missing";
    case MediaDeviceFailure.DeviceInUse:
      return "busy";
    default:
      return "other";
  }
}

const captureKey = (deviceId: string, width: number, height: number) => `${deviceId}|${width}x${height}`;

/**
 * The camera and microphone of this device, before and during the class. One track of each is
 * created in the pre-join check and kept for the whole visit: the ladder restarts the camera at
 * a lower resolution or mutes it (which releases the device), joining publishes the same
 * tracks, and a dropped connection leaves them running for the rejoin. Every change goes
 * through one queue that converges on the latest wish, so fast clicks cannot interleave two
 * getUserMedia calls.
 */
export function useLocalMedia({ role, local, room }: { role: LiveRole; local: LadderPolicy["local"]; room: Room | null }) {
  const publishes = role !== "observer";
  const [cameraWanted, setCameraWanted] = useState(publishes);
  const [micWanted, setMicWanted] = useState(publishes);
  const [videoDeviceId, setVideoDeviceId] = useState("");
  const [audioDeviceId, setAudioDeviceId] = useState("");
  const [videoTrack, setVideoTrack] = useState<LocalVideoTrack | null>(null);
  const [audioTrack, setAudioTrack] = useState<LocalAudioTrack | null>(null);
  const [cameraError, setCameraError] = useState<DeviceError | null>(null);
  const [micError, setMicError] = useState<DeviceError | null>(null);
  const [preview, setPreview] = useState<PreviewState>({ camera: "off" });
  const [micOn, setMicOn] = useState(false);
  const [devices, setDevices] = useState<{ video: MediaDeviceInfo[]; audio: MediaDeviceInfo[] }>({ video: [], audio: [] });

  const desired = useRef<Desired>({ cameraWanted, micWanted, local, videoDeviceId, audioDeviceId, room });
  desired.current = { cameraWanted, micWanted, local, videoDeviceId, audioDeviceId, room };
  const tracks = useRef<{ video: LocalVideoTrack | null; audio: LocalAudioTrack | null }>({ video: null, audio: null });
  const applied = useRef({ video: "", audio: "" });
  const queue = useRef<Promise<void>>(Promise.resolve());
  const alive = useRef(true);

  const refreshDevices = useCallback(async () => {
    try {
      const [video, audio] = await Promise.all([
        publishes ? Room.getLocalDevices("videoinput", false) : Promise.resolve([]),
        Room.getLocalDevices("audioinput", false),
      ]);
      if (alive.current) setDevices({ video, audio });
    } catch {
      // Listing devices is a convenience; the default device still works.
    }
  }, [publishes]);

  const reconcileVideo = useCallback(async () => {
    const d = desired.current;
    let track = tracks.current.video;
    const on = publishes && d.cameraWanted && d.local.publish;
    const { width, height } = d.local.resolution;
    const wanted = captureKey(d.videoDeviceId, width, height);
    if (!on) {
      if (track && !track.isMuted) await track.mute();
    } else if (!track) {
      try {
        track = await createLocalVideoTrack({ resolution: d.local.resolution, deviceId: d.videoDeviceId || undefined });
      } catch (error) {
        if (!alive.current) return;
        setCameraError(deviceError(error));
        setCameraWanted(false);
        return;
      }
      if (!alive.current) {
        track.stop();
        return;
      }
      tracks.current.video = track;
      applied.current.video = wanted;
      setVideoTrack(track);
      setCameraError(null);
      void refreshDevices();
    } else {
      if (track.isMuted) await track.unmute();
      if (applied.current.video !== wanted) {
        await track.restartTrack({ resolution: d.local.resolution, deviceId: d.videoDeviceId || undefined });
        applied.current.video = wanted;
      }
      if (alive.current) setCameraError(null);
    }
    const participant = d.room?.localParticipant;
    if (participant && track && on) {
      try {
        if (!participant.getTrackPublication(Track.Source.Camera)) {
          await participant.publishTrack(track, { source: Track.Source.Camera });
        }
        track.setPublishingQuality(d.local.maxQuality);
      } catch (error) {
        // The room is going away or reconnecting; the next change or rejoin publishes again.
        console.warn("Camera not published", error);
      }
    }
    if (!alive.current) return;
    const settings = on && track ? track.mediaStreamTrack.getSettings() : null;
    setPreview(settings ? { camera: "on", width: settings.width, height: settings.height } : { camera: "off" });
  }, [publishes, refreshDevices]);

  const reconcileAudio = useCallback(async () => {
    const d = desired.current;
    let track = tracks.current.audio;
    // An observer only tests the microphone before joining; it is released on joining.
    const on = d.micWanted && (publishes || !d.room);
    if (!on) {
      if (track && !publishes) {
        track.stop();
        tracks.current.audio = null;
        setAudioTrack(null);
      } else if (track && !track.isMuted) {
        await track.mute();
      }
    } else if (!track) {
      try {
        track = await createLocalAudioTrack({ ...audioCaptureOptions(), deviceId: d.audioDeviceId || undefined });
      } catch (error) {
        if (!alive.current) return;
        setMicError(deviceError(error));
        setMicWanted(false);
        return;
      }
      if (!alive.current) {
        track.stop();
        return;
      }
      tracks.current.audio = track;
      applied.current.audio = d.audioDeviceId;
      setAudioTrack(track);
      setMicError(null);
      void refreshDevices();
    } else {
      if (track.isMuted) await track.unmute();
      if (applied.current.audio !== d.audioDeviceId) {
        await track.restartTrack({ ...audioCaptureOptions(), deviceId: d.audioDeviceId || undefined });
        applied.current.audio = d.audioDeviceId;
      }
      if (alive.current) setMicError(null);
    }
    const participant = d.room?.localParticipant;
    if (participant && publishes && track && !participant.getTrackPublication(Track.Source.Microphone)) {
      await participant.publishTrack(track, { source: Track.Source.Microphone }).catch((error: unknown) => {
        console.warn("Microphone not published", error);
      });
    }
    if (alive.current) setMicOn(Boolean(on && tracks.current.audio && !tracks.current.audio.isMuted));
  }, [publishes, refreshDevices]);

  const schedule = useCallback(() => {
    queue.current = queue.current.then(async () => {
      if (!alive.current) return;
      // A restart can fail too (camera unplugged, permission withdrawn): say so, keep the other device going.
      await reconcileVideo().catch((error: unknown) => {
        console.warn("Camera could not be updated", error);
        if (!alive.current) return;
        setCameraError(deviceError(error));
        setPreview({ camera: "off" });
      });
      await reconcileAudio().catch((error: unknown) => {
        console.warn("Microphone could not be updated", error);
        if (alive.current) setMicError(deviceError(error));
      });
    });
  }, [reconcileVideo, reconcileAudio]);

  const { publish, maxQuality, resolution } = local;
  useEffect(
    () => schedule(),
    [schedule, cameraWanted, micWanted, videoDeviceId, audioDeviceId, room, publish, maxQuality, resolution.width, resolution.height],
  );

  useEffect(() => {
    alive.current = true;
    const onChange = () => void refreshDevices();
    navigator.mediaDevices?.addEventListener("devicechange", onChange);
    return () => {
      alive.current = false;
      navigator.mediaDevices?.removeEventListener("devicechange", onChange);
      tracks.current.video?.stop();
      tracks.current.audio?.stop();
      tracks.current = { video: null, audio: null };
      applied.current = { video: "", audio: "" };
    };
  }, [refreshDevices]);

  /** Leaving the class switches the camera and microphone off; the user turns them back on to rejoin. */
  const release = useCallback(() => {
    queue.current = queue.current.then(() => {
      tracks.current.video?.stop();
      tracks.current.audio?.stop();
      tracks.current = { video: null, audio: null };
      applied.current = { video: "", audio: "" };
      if (!alive.current) return;
      setVideoTrack(null);
      setAudioTrack(null);
      setCameraWanted(false);
      setMicWanted(false);
      setMicOn(false);
      setPreview({ camera: "off" });
    });
  }, []);

  return {
    publishes,
    cameraWanted,
    micWanted,
    micOn,
    setCameraWanted,
    setMicWanted,
    videoDeviceId,
    audioDeviceId,
    setVideoDeviceId,
    setAudioDeviceId,
    devices,
    videoTrack,
    audioTrack,
    cameraError,
    micError,
    preview,
    release,
  };
}

export type LocalMedia = ReturnType<typeof useLocalMedia>;

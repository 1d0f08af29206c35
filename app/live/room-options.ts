import {
  AudioPresets,
  ScreenSharePresets,
  VideoPresets,
  VideoQuality,
  type AudioCaptureOptions,
  type ReconnectContext,
  type ReconnectPolicy,
  type RoomConnectOptions,
  type RoomOptions,
  type VideoCaptureOptions,
  type VideoResolution,
} from "livekit-client";
import type { LiveRole } from "~/db/enums";

/**
 * What each role captures. The main teacher in Hechuan films the board at 720p and
 * simulcasts 180p and 360p beneath it, so each subscriber takes the layer its link carries
 * (Leiwuqi typically 180p or 360p). The receiving classroom's single device uploads over the
 * weakest link of the class: a 640×360 wide shot (≈450 kbps) is enough to see who raises a
 * hand, with a 180p layer (≈160 kbps) for subscribers on poor links. At 360p LiveKit only
 * builds two layers, so a 360p "middle" layer would never be sent and is not declared.
 */
const CAPTURE = {
  main: { resolution: VideoPresets.h720, layers: [VideoPresets.h180, VideoPresets.h360] },
  publisher: { resolution: VideoPresets.h360, layers: [VideoPresets.h180] },
} as const;

const captureOf = (isMainTeacher: boolean) => (isMainTeacher ? CAPTURE.main : CAPTURE.publisher);

export function videoCaptureOptions(role: LiveRole): VideoCaptureOptions {
  return { resolution: captureOf(role === "main").resolution.resolution };
}

/** One device in a classroom picks up the whole class: the browser's voice processing stays on. */
export function audioCaptureOptions(): AudioCaptureOptions {
  return { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
}

/** Give up reconnecting after this long; until then a dropped link is retried with backoff. */
export const RECONNECT_GIVE_UP_MS = 180_000;
const RECONNECT_MAX_DELAY_MS = 10_000;

/**
 * The delay before reconnect attempt `retryCount` (0-based): immediately, then doubling from
 * 500 ms up to 10 s with up to 20 % jitter (so a whole class does not retry in lockstep), and
 * null once `elapsedMs` has passed three minutes. LiveKit's default gives up after ten tries
 * (~40 s) — far too soon for a satellite link that drops for a minute.
 */
export function reconnectDelay(retryCount: number, elapsedMs: number, random: () => number = Math.random): number | null {
  if (elapsedMs >= RECONNECT_GIVE_UP_MS) return null;
  if (retryCount === 0) return 0;
  const base = Math.min(RECONNECT_MAX_DELAY_MS, 500 * 2 ** (retryCount - 1));
  return Math.round(base * (1 + 0.2 * random()));
}

export const patientReconnectPolicy: ReconnectPolicy = {
  nextRetryDelayInMs: (context: ReconnectContext) => reconnectDelay(context.retryCount, context.elapsedMs),
};

export function roomOptions(role: LiveRole): RoomOptions {
  const capture = captureOf(role === "main");
  return {
    adaptiveStream: true,
    dynacast: true,
    // Our hook owns the camera and microphone: a dropped connection must not switch them off,
    // so the preview stays and rejoining republishes the same tracks.
    stopLocalTrackOnUnpublish: false,
    publishDefaults: {
      simulcast: true,
      videoSimulcastLayers: [...capture.layers],
      // VP8 simulcast: every browser and old classroom PC encodes it cheaply, its layers are
      // independent streams the server can switch per subscriber, and it recovers well from loss.
      videoCodec: "vp8",
      backupCodec: false,
      // Slides: sharp at 720p but only 5 fps, with a 3 fps 360p layer for poor links.
      screenShareEncoding: ScreenSharePresets.h720fps5.encoding,
      screenShareSimulcastLayers: [ScreenSharePresets.h360fps3],
      audioPreset: AudioPresets.speech,
      dtx: true,
      red: true,
    },
    videoCaptureDefaults: videoCaptureOptions(role),
    audioCaptureDefaults: audioCaptureOptions(),
    reconnectPolicy: patientReconnectPolicy,
  };
}

/** Round trips to Leiwuqi can take over a second and ICE may need several: wait longer than LiveKit's 15 s. */
export function connectOptions(): RoomConnectOptions {
  return { autoSubscribe: true, peerConnectionTimeout: 30_000, websocketTimeout: 30_000, maxRetries: 3 };
}

export const LADDER = ["full", "teacher-video", "audio-only"] as const;
export type LadderStep = (typeof LADDER)[number];

export function isLadderStep(value: unknown): value is LadderStep {
  return typeof value === "string" && (LADDER as readonly string[]).includes(value);
}

export interface LadderPolicy {
  local: { publish: boolean; maxQuality: VideoQuality; resolution: VideoResolution };
  remote: {
    /**
     * Whose camera to receive: everyone; only the pinned ones (the main teacher's — or, for
     * the main teacher, the remote classrooms' they teach to); or nobody.
     */
    video: "all" | "pinned" | "none";
    screenShare: boolean;
    quality: VideoQuality;
  };
}

/**
 * What a step of the low-bandwidth ladder means for this device. On "teacher-video" the main
 * teacher keeps a 360p picture (the remote class reads the board through it) while everyone
 * else drops to a single 180p layer; the one remote picture received is taken at the middle
 * layer. "audio-only" means audio only, for the main teacher too, and no screen share either.
 */
export function ladderPolicy(step: LadderStep, { isMainTeacher }: { isMainTeacher: boolean }): LadderPolicy {
  const capture = captureOf(isMainTeacher);
  const reduced = isMainTeacher ? VideoPresets.h360 : VideoPresets.h180;
  switch (step) {
    case "full":
      return {
        local: { publish: true, maxQuality: VideoQuality.HIGH, resolution: capture.resolution.resolution },
        remote: { video: "all", screenShare: true, quality: VideoQuality.HIGH },
      };
    case "teacher-video":
      return {
        local: {
          publish: true,
          maxQuality: isMainTeacher ? VideoQuality.MEDIUM : VideoQuality.LOW,
          resolution: reduced.resolution,
        },
        remote: { video: "pinned", screenShare: true, quality: VideoQuality.MEDIUM },
      };
    case "audio-only":
      return {
        local: { publish: false, maxQuality: VideoQuality.LOW, resolution: reduced.resolution },
        remote: { video: "none", screenShare: false, quality: VideoQuality.LOW },
      };
  }
}

/** Whether to receive one remote video publication on this step, and at what quality. */
export function remoteVideoWanted(
  policy: LadderPolicy,
  publication: { publisher: string; screenShare: boolean },
  pinned: readonly string[],
): { subscribe: boolean; quality: VideoQuality } {
  const { remote } = policy;
  const subscribe = publication.screenShare
    ? remote.screenShare
    : remote.video === "all" || (remote.video === "pinned" && pinned.includes(publication.publisher));
  return { subscribe, quality: remote.quality };
}

export type LinkQuality = "excellent" | "good" | "poor" | "lost" | "unknown";

export interface LadderState {
  /** The user's ceiling: automatic stepping never goes above it. */
  chosen: LadderStep;
  current: LadderStep;
  poorSince: number | null;
  goodSince: number | null;
}

export const STEP_DOWN_AFTER_MS = 4_000;
export const STEP_UP_AFTER_MS = 15_000;

export function initialLadder(step: LadderStep = "full"): LadderState {
  return { chosen: step, current: step, poorSince: null, goodSince: null };
}

/** The user picked a step: it becomes both the ceiling and the current step. */
export function chooseStep(step: LadderStep): LadderState {
  return initialLadder(step);
}

const indexOf = (step: LadderStep) => LADDER.indexOf(step);

/**
 * One observation of the link: steps down one step once poor quality has lasted 4 s, straight
 * to audio-only when the link is lost, and back up one step once good quality has lasted 15 s
 * (recovering is slower than degrading, so a flapping link does not oscillate), never above
 * the user's choice. Called on every quality change and once a second.
 */
export function autoLadder(state: LadderState, quality: LinkQuality, now: number): LadderState {
  const next = observe(state, quality, now);
  const unchanged = next.current === state.current && next.poorSince === state.poorSince && next.goodSince === state.goodSince;
  return unchanged ? state : next;
}

function observe(state: LadderState, quality: LinkQuality, now: number): LadderState {
  const current = indexOf(state.current);
  const chosen = indexOf(state.chosen);
  switch (quality) {
    case "lost":
      return { ...state, current: "audio-only", poorSince: null, goodSince: null };
    case "poor": {
      const poorSince = state.poorSince ?? now;
      if (now - poorSince >= STEP_DOWN_AFTER_MS && current < LADDER.length - 1) {
        return { ...state, current: LADDER[current + 1], poorSince: now, goodSince: null };
      }
      return { ...state, poorSince, goodSince: null };
    }
    case "good":
    case "excellent": {
      if (current <= chosen) return { ...state, current: state.chosen, poorSince: null, goodSince: null };
      const goodSince = state.goodSince ?? now;
      if (now - goodSince >= STEP_UP_AFTER_MS) {
        const next = current - 1;
        return { ...state, current: LADDER[next], poorSince: null, goodSince: next > chosen ? now : null };
      }
      return { ...state, poorSince: null, goodSince };
    }
    case "unknown":
      return { ...state, poorSince: null, goodSince: null };
  }
}

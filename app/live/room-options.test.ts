import { AudioPresets, ScreenSharePresets, VideoPresets, VideoQuality } from "livekit-client";
import { describe, expect, it } from "vitest";
import {
  LADDER,
  RECONNECT_GIVE_UP_MS,
  autoLadder,
  chooseStep,
  connectOptions,
  initialLadder,
  isLadderStep,
  ladderPolicy,
  reconnectDelay,
  remoteVideoWanted,
  roomOptions,
  type LadderState,
} from "./room-options";

describe("roomOptions", () => {
  it("turns on adaptive stream, dynacast and speech audio for every role", () => {
    for (const role of ["main", "receiving", "observer"] as const) {
      const options = roomOptions(role);
      expect(options.adaptiveStream).toBe(true);
      expect(options.dynacast).toBe(true);
      expect(options.stopLocalTrackOnUnpublish).toBe(false);
      expect(options.publishDefaults).toMatchObject({
        simulcast: true,
        videoCodec: "vp8",
        audioPreset: AudioPresets.speech,
        dtx: true,
        red: true,
        screenShareEncoding: ScreenSharePresets.h720fps5.encoding,
        screenShareSimulcastLayers: [ScreenSharePresets.h360fps3],
      });
      expect(options.audioCaptureDefaults).toEqual({ echoCancellation: true, noiseSuppression: true, autoGainControl: true });
    }
  });

  it("has the main teacher capture 720p with 180p and 360p layers beneath", () => {
    const options = roomOptions("main");
    expect(options.videoCaptureDefaults).toEqual({ resolution: VideoPresets.h720.resolution });
    expect(options.publishDefaults?.videoSimulcastLayers).toEqual([VideoPresets.h180, VideoPresets.h360]);
  });

  it("has the receiving classroom capture 360p with a 180p layer beneath", () => {
    const options = roomOptions("receiving");
    expect(options.videoCaptureDefaults).toEqual({ resolution: VideoPresets.h360.resolution });
    expect(options.videoCaptureDefaults?.resolution).toMatchObject({ width: 640, height: 360 });
    expect(options.publishDefaults?.videoSimulcastLayers).toEqual([VideoPresets.h180]);
  });

  it("keeps reconnecting with a patient policy", () => {
    const policy = roomOptions("receiving").reconnectPolicy!;
    expect(policy.nextRetryDelayInMs({ retryCount: 0, elapsedMs: 0 })).toBe(0);
    expect(policy.nextRetryDelayInMs({ retryCount: 30, elapsedMs: 120_000 })).toBeGreaterThan(0);
    expect(policy.nextRetryDelayInMs({ retryCount: 31, elapsedMs: RECONNECT_GIVE_UP_MS })).toBeNull();
  });
});

describe("reconnectDelay", () => {
  const noJitter = () => 0;
  const fullJitter = () => 1;

  it("retries at once, then doubles from 500 ms up to 10 s", () => {
    const delays = Array.from({ length: 8 }, (_, n) => reconnectDelay(n, 0, noJitter));
    expect(delays).toEqual([0, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("adds at most 20 % jitter", () => {
    expect(reconnectDelay(3, 0, fullJitter)).toBe(2400);
    expect(reconnectDelay(20, 0, fullJitter)).toBe(12_000);
  });

  it("is still retrying after two minutes and gives up after three", () => {
    expect(reconnectDelay(25, 120_000, noJitter)).toBe(10_000);
    expect(reconnectDelay(25, RECONNECT_GIVE_UP_MS - 1, noJitter)).toBe(10_000);
    expect(reconnectDelay(25, RECONNECT_GIVE_UP_MS, noJitter)).toBeNull();
  });
});

describe("connectOptions", () => {
  it("subscribes automatically and waits longer than LiveKit's defaults", () => {
    expect(connectOptions()).toEqual({ autoSubscribe: true, peerConnectionTimeout: 30_000, websocketTimeout: 30_000, maxRetries: 3 });
  });
});

describe("ladderPolicy", () => {
  it("has three steps from full to audio only", () => {
    expect(LADDER).toEqual(["full", "teacher-video", "audio-only"]);
    expect(isLadderStep("teacher-video")).toBe(true);
    expect(isLadderStep("video")).toBe(false);
  });

  it("full: publishes the capture resolution at high quality and receives everything", () => {
    expect(ladderPolicy("full", { isMainTeacher: false })).toEqual({
      local: { publish: true, maxQuality: VideoQuality.HIGH, resolution: VideoPresets.h360.resolution },
      remote: { video: "all", screenShare: true, quality: VideoQuality.HIGH },
    });
    expect(ladderPolicy("full", { isMainTeacher: true }).local).toEqual({
      publish: true,
      maxQuality: VideoQuality.HIGH,
      resolution: VideoPresets.h720.resolution,
    });
  });

  it("teacher-video: others drop to one 180p layer, the main teacher keeps 360p, only the main teacher and screens are received", () => {
    expect(ladderPolicy("teacher-video", { isMainTeacher: false })).toEqual({
      local: { publish: true, maxQuality: VideoQuality.LOW, resolution: VideoPresets.h180.resolution },
      remote: { video: "pinned", screenShare: true, quality: VideoQuality.MEDIUM },
    });
    expect(ladderPolicy("teacher-video", { isMainTeacher: true }).local).toEqual({
      publish: true,
      maxQuality: VideoQuality.MEDIUM,
      resolution: VideoPresets.h360.resolution,
    });
  });

  it("audio-only: nobody publishes or receives any video, the main teacher included", () => {
    for (const isMainTeacher of [true, false]) {
      const policy = ladderPolicy("audio-only", { isMainTeacher });
      expect(policy.local.publish).toBe(false);
      expect(policy.remote).toEqual({ video: "none", screenShare: false, quality: VideoQuality.LOW });
    }
  });
});

describe("remoteVideoWanted", () => {
  const main = "teacher-1";
  const camera = (publisher: string) => ({ publisher, screenShare: false });
  const screen = (publisher: string) => ({ publisher, screenShare: true });
  const wanted = (step: (typeof LADDER)[number], publication: { publisher: string; screenShare: boolean }) =>
    remoteVideoWanted(ladderPolicy(step, { isMainTeacher: false }), publication, [main]);

  it("subscribes to every camera and screen on full", () => {
    expect(wanted("full", camera("class-2"))).toEqual({ subscribe: true, quality: VideoQuality.HIGH });
    expect(wanted("full", screen("class-2"))).toEqual({ subscribe: true, quality: VideoQuality.HIGH });
  });

  it("subscribes to the main teacher's camera and screen shares only on teacher-video", () => {
    expect(wanted("teacher-video", camera(main))).toEqual({ subscribe: true, quality: VideoQuality.MEDIUM });
    expect(wanted("teacher-video", camera("class-2")).subscribe).toBe(false);
    expect(wanted("teacher-video", screen("class-2")).subscribe).toBe(true);
  });

  it("for the main teacher, teacher-video keeps the remote classrooms' cameras they teach to", () => {
    const policy = ladderPolicy("teacher-video", { isMainTeacher: true });
    const remoteClasses = ["class-leiwuqi-1", "class-leiwuqi-2"];
    expect(remoteVideoWanted(policy, camera("class-leiwuqi-2"), remoteClasses)).toEqual({ subscribe: true, quality: VideoQuality.MEDIUM });
    expect(remoteVideoWanted(policy, camera("observer-9"), remoteClasses).subscribe).toBe(false);
  });

  it("subscribes to no video at all on audio-only", () => {
    expect(wanted("audio-only", camera(main)).subscribe).toBe(false);
    expect(wanted("audio-only", screen(main)).subscribe).toBe(false);
  });
});

describe("autoLadder", () => {
  const at = (state: Partial<LadderState>): LadderState => ({ ...initialLadder(), ...state });
  /** Feeds one observation per second from `from` to `to` inclusive. */
  const run = (state: LadderState, quality: Parameters<typeof autoLadder>[1], from: number, to: number) => {
    let s = state;
    for (let now = from; now <= to; now += 1000) s = autoLadder(s, quality, now);
    return s;
  };

  it("steps down one step after poor quality has lasted 4 s, not before", () => {
    const start = initialLadder("full");
    expect(run(start, "poor", 0, 3000).current).toBe("full");
    const down = run(start, "poor", 0, 4000);
    expect(down).toEqual({ chosen: "full", current: "teacher-video", poorSince: 4000, goodSince: null });
  });

  it("needs another 4 s of poor quality for the next step down, and stops at audio-only", () => {
    const down = run(initialLadder("full"), "poor", 0, 4000);
    expect(run(down, "poor", 5000, 7000).current).toBe("teacher-video");
    expect(run(down, "poor", 5000, 8000).current).toBe("audio-only");
    expect(run(down, "poor", 5000, 60_000).current).toBe("audio-only");
  });

  it("restarts the poor timer when quality recovers in between", () => {
    let s = run(initialLadder("full"), "poor", 0, 3000);
    s = autoLadder(s, "good", 3500);
    expect(s.poorSince).toBeNull();
    expect(run(s, "poor", 4000, 7000).current).toBe("full");
    expect(run(s, "poor", 4000, 8000).current).toBe("teacher-video");
  });

  it("goes straight to audio-only when the link is lost", () => {
    expect(autoLadder(initialLadder("full"), "lost", 0)).toEqual({
      chosen: "full",
      current: "audio-only",
      poorSince: null,
      goodSince: null,
    });
  });

  it("steps back up one step after 15 s of good or excellent quality", () => {
    const low = at({ chosen: "full", current: "audio-only" });
    expect(run(low, "good", 0, 14_000).current).toBe("audio-only");
    const up = run(low, "excellent", 0, 15_000);
    expect(up).toEqual({ chosen: "full", current: "teacher-video", poorSince: null, goodSince: 15_000 });
    expect(run(up, "good", 16_000, 29_000).current).toBe("teacher-video");
    expect(run(up, "good", 16_000, 30_000)).toEqual({ chosen: "full", current: "full", poorSince: null, goodSince: null });
  });

  it("never goes above the user's choice", () => {
    const capped = at({ chosen: "teacher-video", current: "audio-only" });
    const up = run(capped, "excellent", 0, 15_000);
    expect(up).toEqual({ chosen: "teacher-video", current: "teacher-video", poorSince: null, goodSince: null });
    expect(run(up, "excellent", 16_000, 120_000).current).toBe("teacher-video");
  });

  it("can still step down below the user's choice", () => {
    expect(run(chooseStep("teacher-video"), "poor", 0, 4000).current).toBe("audio-only");
  });

  it("forgets its timers when quality is unknown", () => {
    const s = run(initialLadder("full"), "poor", 0, 3000);
    const unknown = autoLadder(s, "unknown", 3500);
    expect(unknown).toEqual(initialLadder("full"));
    expect(run(unknown, "poor", 4000, 7000).current).toBe("full");
  });

  it("returns the same object when nothing changes, so a tick does not re-render", () => {
    const s = initialLadder("full");
    expect(autoLadder(s, "good", 1000)).toBe(s);
    expect(autoLadder(s, "unknown", 1000)).toBe(s);
    const poor = autoLadder(s, "poor", 0);
    expect(autoLadder(poor, "poor", 1000)).toBe(poor);
  });

  it("a manual choice sets both the ceiling and the current step", () => {
    expect(chooseStep("audio-only")).toEqual({ chosen: "audio-only", current: "audio-only", poorSince: null, goodSince: null });
    expect(run(chooseStep("audio-only"), "excellent", 0, 60_000).current).toBe("audio-only");
  });
});

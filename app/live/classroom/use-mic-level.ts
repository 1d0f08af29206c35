import { createAudioAnalyser, type LocalAudioTrack } from "livekit-client";
import { useEffect, useState } from "react";

/** The microphone's level from 0 to 1, sampled ten times a second, in steps of 5 % so quiet rooms do not re-render. */
export function useMicLevel(track: LocalAudioTrack | null, active: boolean): number {
  const [level, setLevel] = useState(0);
  // A restart (new device) swaps the MediaStreamTrack under the same LiveKit track.
  const source = track?.mediaStreamTrack;
  useEffect(() => {
    setLevel(0);
    if (!track || !active) return;
    let analyser: ReturnType<typeof createAudioAnalyser>;
    try {
      analyser = createAudioAnalyser(track);
    } catch {
      return;
    }
    // A context created before any click starts suspended in Chrome; the next click wakes it.
    const context = analyser.analyser.context as AudioContext;
    const resume = () => void context.resume().catch(() => undefined);
    resume();
    document.addEventListener("pointerdown", resume);
    document.addEventListener("keydown", resume);
    const timer = window.setInterval(() => {
      setLevel(Math.round(Math.min(1, analyser.calculateVolume() * 2) * 20) / 20);
    }, 100);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("pointerdown", resume);
      document.removeEventListener("keydown", resume);
      void analyser.cleanup();
    };
  }, [track, active, source]);
  return level;
}

import type { Track } from "livekit-client";
import { useEffect, useRef, type VideoHTMLAttributes } from "react";

type DataAttributes = { [key: `data-${string}`]: string | number | undefined };

/** A <video> showing a LiveKit track; remote tracks also learn its size for adaptive stream. */
export function VideoView({
  track,
  ...rest
}: { track: Track | null | undefined } & VideoHTMLAttributes<HTMLVideoElement> & DataAttributes) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || !track) return;
    track.attach(element);
    return () => {
      track.detach(element);
    };
  }, [track]);
  return <video ref={ref} autoPlay playsInline muted {...rest} />;
}

/** Plays a remote participant's audio; nothing to see. */
export function AudioView({ track }: { track: Track }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    track.attach(element);
    return () => {
      track.detach(element);
    };
  }, [track]);
  return <audio ref={ref} autoPlay hidden />;
}

import { useCallback, useEffect, useRef, useState } from "react";
import { LADDER, autoLadder, chooseStep, initialLadder, type LadderStep, type LinkQuality } from "../room-options";

export interface LadderNotice {
  direction: "down" | "up";
  step: LadderStep;
}

const TICK_MS = 1000;

/**
 * The low-bandwidth ladder of this device: the user's choice plus automatic stepping on the
 * local participant's connection quality. A 1 s tick feeds the last observed quality again, so
 * "poor for 4 s" and "good for 15 s" happen without a new event; out of the room the quality
 * is "unknown" and the tick changes nothing (autoLadder then returns the same state).
 */
export function useLadder() {
  const [state, setState] = useState(initialLadder);
  const [notice, setNotice] = useState<LadderNotice | null>(null);
  const [quality, setQuality] = useState<LinkQuality>("unknown");
  const latest = useRef<LinkQuality>("unknown");
  const previous = useRef(state.current);
  const manual = useRef(false);

  const observe = useCallback((next?: LinkQuality) => {
    if (next) {
      latest.current = next;
      setQuality(next);
    }
    const now = Date.now();
    setState((s) => autoLadder(s, latest.current, now));
  }, []);

  useEffect(() => {
    const timer = window.setInterval(() => observe(), TICK_MS);
    return () => window.clearInterval(timer);
  }, [observe]);

  useEffect(() => {
    if (previous.current === state.current) return;
    const down = LADDER.indexOf(state.current) > LADDER.indexOf(previous.current);
    previous.current = state.current;
    if (manual.current) {
      manual.current = false;
      return;
    }
    setNotice({ direction: down ? "down" : "up", step: state.current });
  }, [state]);

  const choose = useCallback((step: LadderStep) => {
    if (previous.current !== step) manual.current = true;
    setState(chooseStep(step));
    setNotice(null);
  }, []);

  return { step: state.current, chosen: state.chosen, quality, notice, choose, observe };
}

/**
 * Who a collaboration connection is, as every editor shows it: set by the server from the
 * authenticated user, never taken from what a client claims about itself.
 */
export interface PresenceUser {
  name: string;
  color: string;
  /** Readers appear as readers. */
  role: "editor" | "reader";
}

/** Caret colours with at least 4.5:1 contrast against white labels' dark text. */
const COLOURS = ["#b3261e", "#0b57d0", "#146c2e", "#8e24aa", "#a05a00", "#00696f", "#c2185b", "#3f51b5"];

export const colourOf = (id: string) => COLOURS[[...id].reduce((sum, c) => sum + c.charCodeAt(0), 0) % COLOURS.length];

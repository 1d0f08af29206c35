/**
 * What `npm run bench:collab` and its child processes say to each other over IPC
 * (child_process.fork), and the edit every benchmark client makes.
 */
import * as Y from "yjs";

export type ServerKind = "bare" | "tongke";

/** One document of a scenario: its name and, per client slot, the token to connect with. */
export interface BenchDocument {
  name: string;
  tokens: string[];
}

export type ServerRequest =
  | { type: "setup"; documents: number; clientsPerDocument: number }
  /** With gc: after two full collections, as a baseline. With reset: event-loop delay counted from now. */
  | { type: "usage"; gc: boolean; reset?: boolean }
  | { type: "stored"; expected: Record<string, number> }
  | { type: "stop" };

export type ServerReply =
  | { type: "ready"; url: string; documents: BenchDocument[]; warmup: BenchDocument; setupMs: number }
  | { type: "usage"; rss: number; heapUsed: number; cpuMs: number; at: number; loopDelayP99: number; loopDelayMax: number }
  | { type: "stored"; found: number; missing: number; ms: number }
  | { type: "error"; message: string };

export interface ClientSpec {
  /** Unique across the scenario: edits are keyed `${id}:${seq}`. */
  id: number;
  document: string;
  token: string;
}

export interface EditPlan {
  /** Wall-clock ms (timeOrigin-based) at which editing starts in every process. */
  startAt: number;
  durationMs: number;
  minIntervalMs: number;
  maxIntervalMs: number;
}

export type ClientRequest =
  /** One short-lived client that types a little on its own document, before the baseline. */
  | { type: "warmup"; url: string; client: ClientSpec; edits: number }
  | { type: "connect"; url: string; clients: ClientSpec[] }
  | { type: "edit"; plan: EditPlan }
  /** Per document, per editing client id, how many edits it made: wait for all of them. */
  | { type: "expect"; expected: Record<string, Record<number, number>>; timeoutMs: number }
  | { type: "close" };

export type ClientReply =
  | { type: "warmed" }
  | { type: "synced"; ms: number }
  | { type: "sent"; counts: Record<number, number>; cpuMs: number }
  | {
      type: "received";
      latencies: number[];
      /** From an edit to the server's acknowledgement of it (what the editor shows as "saved"). */
      acks: number[];
      missing: number;
      expected: number;
      negative: number;
      drainMs: number;
    }
  | { type: "error"; message: string };

/**
 * performance.now() anchored to the system clock at the moment Date.now() ticks over: the
 * best of a few tries. performance.timeOrigin is not good enough across processes — it is
 * off from Date.now() by a few milliseconds on an idle machine and by up to seconds for
 * processes started under load.
 */
function anchor(): number {
  let best = -Infinity;
  for (let i = 0; i < 7; i++) {
    const start = Date.now();
    let tick = start;
    while (tick === start) tick = Date.now();
    // Any delay between the tick and reading performance.now() makes this smaller.
    best = Math.max(best, tick - performance.now());
  }
  return best;
}
const epochOfPerformanceZero = anchor();

/** Milliseconds since the epoch with sub-millisecond resolution, comparable across processes. */
export const now = () => epochOfPerformanceZero + performance.now();

export const PLAN_FRAGMENT = "default";
/** Each edit's word: its key and send time, which the receivers read back from the text. */
export const EDIT_WORD = /(\d+:\d+):(\d+\.\d+) /g;

/** The keys (and send times) of the edits a plan's text holds. */
export function editsIn(text: string): Map<string, number> {
  return new Map([...text.matchAll(EDIT_WORD)].map((m) => [m[1], Number(m[2])]));
}

/**
 * Typing as the editor would write it: the client's own paragraph grows by a word, and
 * every 15th edit starts a new paragraph (Enter). The word carries the edit's key and send
 * time (only the plan's own content passes the server's schema gate).
 */
export class Typist {
  private text: Y.XmlText | null = null;
  seq = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly clientId: number,
  ) {}

  edit() {
    const seq = this.seq++;
    const key = `${this.clientId}:${seq}`;
    const sentAt = now();
    this.doc.transact(() => {
      if (!this.text || seq % 15 === 0) {
        const paragraph = new Y.XmlElement("paragraph");
        this.text = new Y.XmlText();
        paragraph.insert(0, [this.text]);
        const fragment = this.doc.getXmlFragment(PLAN_FRAGMENT);
        fragment.insert(fragment.length, [paragraph]);
      }
      this.text.insert(this.text.length, `${key}:${sentAt.toFixed(3)} `);
    });
  }
}

export function send<T>(message: T) {
  process.send?.(message);
}

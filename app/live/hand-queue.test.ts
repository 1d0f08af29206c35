import { describe, expect, it } from "vitest";
import { HAND_TOPIC, decodeHand, encodeHand, handQueue, type HandEntry, type HandMessage } from "./hand-queue";

const MAIN = "main-teacher";
const as = (sender: string) => ({ sender, mainTeacherId: MAIN });
const raise = (identity: string, at: number, name = identity): HandMessage => ({ type: "raise", identity, name, at });

function apply(messages: [HandMessage, string][], start: HandEntry[] = []): HandEntry[] {
  return messages.reduce((queue, [message, sender]) => handQueue(queue, message, as(sender)), start);
}

describe("handQueue", () => {
  it("orders raised hands by time, whatever order the messages arrive in", () => {
    const queue = apply([
      [raise("b", 200), "b"],
      [raise("a", 100), "a"],
      [raise("c", 300), "c"],
    ]);
    expect(queue.map((e) => e.identity)).toEqual(["a", "b", "c"]);
    expect(queue[0]).toEqual({ identity: "a", name: "a", at: 100 });
  });

  it("keeps one entry per person: raising again keeps the original place", () => {
    const queue = apply([
      [raise("a", 100), "a"],
      [raise("b", 200), "b"],
      [raise("a", 300), "a"],
    ]);
    expect(queue).toEqual([
      { identity: "a", name: "a", at: 100 },
      { identity: "b", name: "b", at: 200 },
    ]);
  });

  it("ignores a raise on someone else's behalf", () => {
    expect(apply([[raise("a", 100), "b"]])).toEqual([]);
  });

  it("lets people lower their own hand", () => {
    const queue = apply([
      [raise("a", 100), "a"],
      [raise("b", 200), "b"],
      [{ type: "lower", identity: "a" }, "a"],
    ]);
    expect(queue.map((e) => e.identity)).toEqual(["b"]);
  });

  it("lets the main teacher call on (lower) anyone, and nobody else", () => {
    const start = apply([
      [raise("a", 100), "a"],
      [raise("b", 200), "b"],
    ]);
    expect(handQueue(start, { type: "lower", identity: "a" }, as("b")).map((e) => e.identity)).toEqual(["a", "b"]);
    expect(handQueue(start, { type: "lower", identity: "a" }, as(MAIN)).map((e) => e.identity)).toEqual(["b"]);
  });

  it("lets only the main teacher clear the queue", () => {
    const start = apply([[raise("a", 100), "a"]]);
    expect(handQueue(start, { type: "clear" }, as("a"))).toEqual(start);
    expect(handQueue(start, { type: "clear" }, as(MAIN))).toEqual([]);
  });

  it("takes a sync from the main teacher only, ordered and deduplicated", () => {
    const start = apply([[raise("x", 50), "x"]]);
    const sync: HandMessage = {
      type: "sync",
      queue: [
        { identity: "b", name: "B", at: 200 },
        { identity: "a", name: "A", at: 100 },
        { identity: "b", name: "B again", at: 300 },
      ],
    };
    expect(handQueue(start, sync, as("a"))).toEqual(start);
    expect(handQueue(start, sync, as(MAIN))).toEqual([
      { identity: "a", name: "A", at: 100 },
      { identity: "b", name: "B", at: 200 },
    ]);
  });

  it("breaks ties in time by identity so every client shows the same order", () => {
    const one = apply([
      [raise("b", 100), "b"],
      [raise("a", 100), "a"],
    ]);
    const other = apply([
      [raise("a", 100), "a"],
      [raise("b", 100), "b"],
    ]);
    expect(one).toEqual(other);
    expect(one.map((e) => e.identity)).toEqual(["a", "b"]);
  });

  it("does not change the queue it was given", () => {
    const start = apply([[raise("a", 100), "a"]]);
    const copy = structuredClone(start);
    handQueue(start, { type: "clear" }, as(MAIN));
    handQueue(start, raise("b", 50), as("b"));
    expect(start).toEqual(copy);
  });
});

describe("encodeHand / decodeHand", () => {
  const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

  it("uses the tongke.hand topic", () => {
    expect(HAND_TOPIC).toBe("tongke.hand");
  });

  it("round-trips every message type", () => {
    const messages: HandMessage[] = [
      raise("a", 1_700_000_000_000, "雷乌齐小学 三年级"),
      { type: "lower", identity: "a" },
      { type: "clear" },
      { type: "sync", queue: [{ identity: "a", name: "སློབ་ཁང་", at: 1 }] },
    ];
    for (const message of messages) expect(decodeHand(encodeHand(message))).toEqual(message);
  });

  it("rejects malformed payloads", () => {
    const bad: unknown[] = [
      "",
      "not json",
      "null",
      "[]",
      { type: "wave", identity: "a" },
      { type: "raise", identity: "a", name: "A" },
      { type: "raise", identity: "", name: "A", at: 1 },
      { type: "raise", identity: "a", name: "   ", at: 1 },
      { type: "raise", identity: "a", name: "A", at: "yesterday" },
      { type: "raise", identity: "a", name: "A", at: -1 },
      { type: "raise", identity: "a", name: "x".repeat(101), at: 1 },
      { type: "lower" },
      { type: "sync", queue: "everyone" },
      { type: "sync", queue: [{ identity: "a" }] },
    ];
    for (const value of bad) expect({ value, decoded: decodeHand(bytes(value)) }).toEqual({ value, decoded: null });
  });

  it("rejects invalid UTF-8 and oversized payloads", () => {
    expect(decodeHand(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toBeNull();
    const huge = { type: "sync", queue: Array.from({ length: 150 }, (_, i) => ({ identity: `id-${i}`, name: "n".repeat(100), at: i })) };
    expect(decodeHand(bytes(huge))).toBeNull();
  });

  it("refuses to encode an invalid message", () => {
    expect(() => encodeHand({ type: "raise", identity: "a", name: "", at: 1 })).toThrow();
  });
});

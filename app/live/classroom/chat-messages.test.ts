import { describe, expect, it } from "vitest";
import { CHAT_TOPIC, decodeChat, encodeChat, latestCreatedAt, mergeMessages, type ChatMessage } from "./chat-messages";

const message = (id: string, createdAt: string, body = `body ${id}`, authorId = "u1"): ChatMessage => ({
  id,
  authorId,
  authorName: "王老师",
  body,
  createdAt,
});

describe("mergeMessages", () => {
  it("adds new messages in time order and drops ones it already has", () => {
    const history = [message("a", "2025-03-01T08:00:00.000Z"), message("c", "2025-03-01T08:02:00.000Z")];
    const merged = mergeMessages(history, [
      message("b", "2025-03-01T08:01:00.000Z"),
      message("c", "2025-03-01T08:02:00.000Z", "relayed copy"),
    ]);
    expect(merged.map((m) => m.id)).toEqual(["a", "b", "c"]);
    expect(merged[2].body).toBe("body c");
  });

  it("compares instants, not strings, across time zones", () => {
    const merged = mergeMessages([message("late", "2025-03-01T16:30:00+08:00")], [message("early", "2025-03-01T08:10:00Z")]);
    expect(merged.map((m) => m.id)).toEqual(["early", "late"]);
  });

  it("returns the same array when nothing is new, so polling does not re-render", () => {
    const history = [message("a", "2025-03-01T08:00:00.000Z")];
    expect(mergeMessages(history, [])).toBe(history);
    expect(mergeMessages(history, [message("a", "2025-03-01T08:00:00.000Z")])).toBe(history);
  });

  it("knows where the next poll starts", () => {
    expect(latestCreatedAt([])).toBeNull();
    expect(latestCreatedAt([message("a", "2025-03-01T08:00:00.000Z"), message("b", "2025-03-01T08:01:00.000Z")])).toBe(
      "2025-03-01T08:01:00.000Z",
    );
  });
});

describe("encodeChat / decodeChat", () => {
  const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

  it("uses the tongke.chat topic and round-trips a message from its author", () => {
    expect(CHAT_TOPIC).toBe("tongke.chat");
    const m = message("a", "2025-03-01T08:00:00.000Z", "བཀྲ་ཤིས་བདེ་ལེགས།");
    expect(decodeChat(encodeChat(m), "u1")).toEqual(m);
  });

  it("rejects a message relayed by someone other than its author", () => {
    expect(decodeChat(encodeChat(message("a", "2025-03-01T08:00:00.000Z")), "u2")).toBeNull();
    expect(decodeChat(encodeChat(message("a", "2025-03-01T08:00:00.000Z")), undefined)).toBeNull();
  });

  it("rejects malformed payloads", () => {
    const good = message("a", "2025-03-01T08:00:00.000Z");
    for (const bad of [{ ...good, body: "" }, { ...good, createdAt: "yesterday" }, { ...good, id: 7 }, [good], null]) {
      expect(decodeChat(bytes(bad), "u1")).toBeNull();
    }
    expect(decodeChat(new TextEncoder().encode("{"), "u1")).toBeNull();
    expect(decodeChat(new Uint8Array(), "u1")).toBeNull();
  });
});

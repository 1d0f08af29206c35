import { describe, expect, it } from "vitest";
import type { JwtClaims } from "~/db/types";
import { createSessionCheck, MAX_SESSION_CHECK_MS } from "./session-check.server";

const claims = (session: string): JwtClaims => ({
  sub: "8a3c0d52-0000-4000-8000-000000000001",
  role: "authenticated",
  session_id: session,
});

describe("session check", () => {
  it("asks Auth once per session within the window, and again after it", async () => {
    const asked: string[] = [];
    let live = true;
    const check = createSessionCheck(async (c) => (asked.push(c.session_id!), live), { ttlMs: 40 });
    expect(await Promise.all([check.isLive(claims("a"), "t"), check.isLive(claims("a"), "t"), check.isLive(claims("b"), "t")])).toEqual([
      true,
      true,
      true,
    ]);
    expect(asked).toEqual(["a", "b"]);
    live = false;
    expect(await check.isLive(claims("a"), "t")).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await check.isLive(claims("a"), "t")).toBe(false);
    expect(await check.isLive(claims("b"), "t", { fresh: true })).toBe(false);
    expect(asked).toEqual(["a", "b", "a", "b"]);
  });

  it("never trusts an answer for longer than 30 s, and asks every time with a window of 0", async () => {
    expect(createSessionCheck(async () => true, { ttlMs: 3_600_000 }).ttlMs).toBe(MAX_SESSION_CHECK_MS);
    let asked = 0;
    const check = createSessionCheck(async () => (asked++, true), { ttlMs: 0 });
    await check.isLive(claims("a"), "t");
    await check.isLive(claims("a"), "t");
    expect(asked).toBe(2);
  });

  it("lets a session through, uncached, when Auth cannot answer", async () => {
    let answer: boolean | null | "throw" = null;
    const check = createSessionCheck(async () => {
      if (answer === "throw") throw new Error("database unavailable");
      return answer;
    });
    expect(await check.isLive(claims("a"), "t")).toBe(true);
    answer = "throw";
    expect(await check.isLive(claims("a"), "t")).toBe(true);
    answer = false;
    expect(await check.isLive(claims("a"), "t")).toBe(false);
  });

  it("forgets a session this process ended (or all of a user's), so the next request asks again", async () => {
    const ended = new Set<string>();
    const check = createSessionCheck(async (c) => !ended.has(c.session_id!));
    expect(await check.isLive(claims("a"), "t")).toBe(true);
    expect(await check.isLive(claims("b"), "t")).toBe(true);
    ended.add("a");
    expect(await check.isLive(claims("a"), "t")).toBe(true);
    check.forget(claims("a"));
    expect(await check.isLive(claims("a"), "t")).toBe(false);
    ended.add("b");
    check.forget(claims("z"), { everySession: true });
    expect(await check.isLive(claims("b"), "t")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { keysetCursor, parseKeysetCursor } from "./keyset";

describe("keyset cursors", () => {
  const id = "0b6c3d6e-8f3a-4b7e-9a51-2f1d6c7e8a90";

  it("read back what they wrote, microseconds included", () => {
    expect(parseKeysetCursor(keysetCursor("2026-12-07T08:00:00.123456Z", id))).toEqual({ at: "2026-12-07T08:00:00.123456Z", id });
    expect(parseKeysetCursor(keysetCursor("2026-12-07T08:00:00Z", id))).toEqual({ at: "2026-12-07T08:00:00Z", id });
  });

  it.each([
    "",
    "garbage",
    `2026-13-45T99:00:00Z_${id}`,
    "2026-12-07T08:00:00Z_not-a-uuid",
    `2026-12-07T08:00:00Z_${id}'; drop table x; --`,
  ])("read %j as no cursor", (value) => expect(parseKeysetCursor(value)).toBeNull());
});

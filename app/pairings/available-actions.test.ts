import { describe, expect, it } from "vitest";
import { availableActions, type Standing } from "./available-actions";

const nobody: Standing = { platformAdmin: false, coordinatesA: false, coordinatesB: false, adminOfA: false };

describe("availableActions", () => {
  it("offers the decision only to the other side", () => {
    expect(availableActions("proposed", { ...nobody, coordinatesB: true })).toEqual(["accept", "decline"]);
    expect(availableActions("proposed", { ...nobody, coordinatesA: true })).toEqual(["withdraw"]);
    expect(availableActions("proposed", { ...nobody, adminOfA: true })).toEqual(["withdraw"]);
    expect(availableActions("proposed", { ...nobody, platformAdmin: true })).toEqual([]);
  });
  it("lets the home coordinator forward a school admin's request", () => {
    expect(availableActions("requested", { ...nobody, coordinatesA: true })).toEqual(["forward", "decline", "withdraw"]);
    expect(availableActions("requested", { ...nobody, adminOfA: true })).toEqual(["withdraw"]);
  });
  it("lets either side's coordinator pause, resume and end, and nobody touch a finished pairing", () => {
    expect(availableActions("active", { ...nobody, coordinatesB: true })).toEqual(["pause", "end"]);
    expect(availableActions("paused", { ...nobody, coordinatesA: true })).toEqual(["resume", "end"]);
    for (const status of ["ended", "declined", "withdrawn"] as const) {
      expect(availableActions(status, { platformAdmin: true, coordinatesA: true, coordinatesB: true, adminOfA: true })).toEqual([]);
    }
  });
});

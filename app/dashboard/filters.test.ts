import { describe, expect, it } from "vitest";
import { parseDashboardFilters, previousTerm, recentTerms, termMonths, termWindow } from "./filters";

describe("dashboard terms and filters", () => {
  it("offers the current term and the three before it", () => {
    expect(recentTerms(new Date("2026-11-29T08:00:00+08:00"))).toEqual(["2026-2027-1", "2025-2026-2", "2025-2026-1", "2024-2025-2"]);
    expect(previousTerm("2026-2027-2")).toBe("2026-2027-1");
  });

  it("runs a term from August to January and from February to July, in China's time", () => {
    expect(termWindow("2026-2027-1")).toEqual({ start: new Date("2026-07-31T16:00:00Z"), end: new Date("2027-01-31T16:00:00Z") });
    expect(termWindow("2026-2027-2")).toEqual({ start: new Date("2027-01-31T16:00:00Z"), end: new Date("2027-07-31T16:00:00Z") });
  });

  it("defaults to the current term and all stages, and refuses values no form offers", () => {
    const now = new Date("2027-03-01T00:00:00Z");
    expect(parseDashboardFilters(new URL("http://x/dashboard"), now)).toEqual({ term: "2026-2027-2", stage: null });
    expect(parseDashboardFilters(new URL("http://x/dashboard?term=2025-2026-1&stage=middle"), now)).toEqual({
      term: "2025-2026-1",
      stage: "middle",
    });
    for (const bad of ["term=2025-2027-1", "term=x", "stage=college"]) {
      expect(() => parseDashboardFilters(new URL(`http://x/dashboard?${bad}`), now)).toThrow(Response);
    }
  });
});

describe("termMonths", () => {
  it("lists the six months of each semester, across the new year", () => {
    expect(termMonths("2026-2027-1")).toEqual(["2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]);
    expect(termMonths("2026-2027-2")).toEqual(["2027-02", "2027-03", "2027-04", "2027-05", "2027-06", "2027-07"]);
  });
});

import { describe, expect, it } from "vitest";
import { refusalKeyOf, refusalOf, REFUSALS } from "./refusals";

/** A database error as drizzle throws it: the driver's error in `.cause`. */
const refused = (code: string, detail?: string) =>
  Object.assign(new Error("Failed query"), { cause: Object.assign(new Error("refused"), { code, detail }) });

describe("the refusal catalogue", () => {
  it("words each code for the part of the portal that asked, with its status", () => {
    expect(refusalOf(refused("TK423"), "pairings")).toMatchObject({ reason: "sameRegion", status: 422, key: "pairings:errors.sameRegion" });
    expect(refusalOf(refused("TK426", '{"kind":"teacher"}'), "live")).toMatchObject({
      reason: "clash",
      status: 409,
      key: "live:errors.clash",
      pg: { detail: '{"kind":"teacher"}' },
    });
    expect(refusalOf(refused("TK422"), "lessonPlans")?.key).toBe("lessonPlans:errors.illegalState");
    expect(refusalOf(refused("42501"), "chat")).toMatchObject({ status: 403, key: "live:errors.chatNotAllowed" });
  });

  it("lets a form word its own duplicate", () => {
    expect(refusalOf(refused("23505"), "forms", { duplicate: "school:duplicateSchool" })?.key).toBe("school:duplicateSchool");
    expect(refusalOf(refused("23505"), "forms")).toBeNull();
  });

  it("is null for anything a person cannot act on, or that a part of the portal does not expect", () => {
    expect(refusalOf(new Error("connection reset"), "pairings")).toBeNull();
    expect(refusalOf(refused("22P02"), "pairings")).toBeNull();
    // A pairing never clashes: an unexpected code there is a bug, thrown and logged.
    expect(refusalOf(refused("TK426"), "pairings")).toBeNull();
    expect([refusalKeyOf("toString", "live"), refusalKeyOf(undefined, "live")]).toEqual([undefined, undefined]);
  });

  it("gives every code one meaning", () => {
    const codes = Object.keys(REFUSALS);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((code) => /^[0-9A-Z]{5}$/.test(code))).toBe(true);
  });
});

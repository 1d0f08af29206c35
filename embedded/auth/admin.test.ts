import { describe, expect, it } from "vitest";
import { banUntil, paginationLink, parseGoDuration } from "./admin.server";
import { parseBody } from "./body.server";

describe("parseGoDuration", () => {
  it("parses Go duration strings to milliseconds", () => {
    expect(parseGoDuration("24h")).toBe(86_400_000);
    expect(parseGoDuration("1h30m")).toBe(5_400_000);
    expect(parseGoDuration("1.5h")).toBe(5_400_000);
    expect(parseGoDuration("-2m")).toBe(-120_000);
    expect(parseGoDuration("300ms")).toBe(300);
    expect(parseGoDuration("0")).toBe(0);
  });
  it("refuses what Go refuses", () => {
    for (const bad of ["", "24", "1d", "h", "1h 30m", "abc", "-"]) expect(parseGoDuration(bad)).toBeNull();
  });
});

describe("banUntil", () => {
  it("lifts bans with none or 0 and bans until now + duration otherwise", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(banUntil("none", now)).toBeNull();
    expect(banUntil("0", now)).toBeNull();
    expect(banUntil("24h", now)).toEqual(new Date("2025-01-02T00:00:00Z"));
    expect(banUntil("forever", now)).toBe("invalid");
    expect(banUntil("9".repeat(20) + "h", now)).toBe("invalid");
  });
});

describe("paginationLink", () => {
  // What auth-js's listUsers does with the header.
  const parse = (header: string) =>
    Object.fromEntries(
      header
        .split(",")
        .map((link) => [
          JSON.parse(link.split(";")[1].split("=")[1]) as string,
          parseInt(link.split(";")[0].split("=")[1].substring(0, 1)),
        ]),
    );

  it("has next and last pages as GoTrue's addPaginationHeaders", () => {
    const header = paginationLink("/auth/v1/admin/users", 1, 50, 120);
    expect(header).toBe('</auth/v1/admin/users?page=2&per_page=50>; rel="next", </auth/v1/admin/users?page=3&per_page=50>; rel="last"');
    expect(parse(header)).toEqual({ next: 2, last: 3 });
    expect(parse(paginationLink("/auth/v1/admin/users", 3, 50, 120))).toEqual({ last: 3 });
  });
});

describe("parseBody", () => {
  const json = "application/json;charset=UTF-8";
  it("parses JSON objects and treats an empty body as {}", () => {
    expect(parseBody(Buffer.from('{"a":1}'), json)).toEqual({ a: 1 });
    expect(parseBody(Buffer.from(""), undefined)).toEqual({});
  });
  it("refuses malformed JSON and non-objects with 400 bad_json", () => {
    for (const text of ["{", "[1]", "null", '"x"']) {
      expect(() => parseBody(Buffer.from(text), json)).toThrow(expect.objectContaining({ status: 400, code: "bad_json" }));
    }
  });
  it("accepts forms only where allowed, and refuses other content types with 415", () => {
    expect(parseBody(Buffer.from("grant_type=password&email=a%40b.c"), "application/x-www-form-urlencoded", true)).toEqual({
      grant_type: "password",
      email: "a@b.c",
    });
    expect(() => parseBody(Buffer.from("a=1"), "application/x-www-form-urlencoded")).toThrow(expect.objectContaining({ status: 415 }));
    expect(() => parseBody(Buffer.from("hello"), "text/plain", true)).toThrow(expect.objectContaining({ status: 415 }));
  });
});

import { describe, expect, it } from "vitest";
import { AuthHttpError, badRequest, formatAuthError, requestedApiVersion, weakPassword } from "./errors.server";

describe("requestedApiVersion", () => {
  it("selects the 2024-01-01 format for valid dates from 2024-01-01 on", () => {
    expect(requestedApiVersion("2024-01-01")).toBe("2024-01-01");
    expect(requestedApiVersion("2025-06-30")).toBe("2024-01-01");
  });
  it("falls back to the initial format for absent, older or malformed versions", () => {
    expect(requestedApiVersion(undefined)).toBeNull();
    expect(requestedApiVersion("2023-12-31")).toBeNull();
    expect(requestedApiVersion("latest")).toBeNull();
    expect(requestedApiVersion("2024-1-1")).toBeNull();
  });
});

describe("formatAuthError", () => {
  const error = badRequest("invalid_credentials", "Invalid login credentials");

  it("answers {code, message} and echoes the version header for 2024-01-01 clients", () => {
    expect(formatAuthError(error, "2024-01-01")).toEqual({
      status: 400,
      headers: { "x-supabase-api-version": "2024-01-01" },
      body: { code: "invalid_credentials", message: "Invalid login credentials" },
    });
  });

  it("answers GoTrue's original {code: status, error_code, msg} otherwise", () => {
    expect(formatAuthError(error, null)).toEqual({
      status: 400,
      headers: {},
      body: { code: 400, error_code: "invalid_credentials", msg: "Invalid login credentials" },
    });
  });

  it("carries weak-password reasons in both formats, as auth-js reads them", () => {
    const weak = weakPassword("Password should be at least 8 characters.", ["length"]);
    expect(formatAuthError(weak, "2024-01-01").body).toEqual({
      code: "weak_password",
      message: "Password should be at least 8 characters.",
      weak_password: { reasons: ["length"] },
    });
    expect(formatAuthError(weak, null).body).toMatchObject({ code: 422, weak_password: { reasons: ["length"] } });
  });

  it("adds Retry-After to rate-limit answers", () => {
    const limited = new AuthHttpError(429, "over_request_rate_limit", "Request rate limit reached", { retryAfterSeconds: 42 });
    expect(formatAuthError(limited, null).headers).toEqual({ "retry-after": "42" });
  });
});

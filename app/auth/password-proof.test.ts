import { describe, expect, it } from "vitest";
import { cameFromRecentEmailLink, EMAIL_LINK_GRACE_SECONDS } from "./password-proof.server";

describe("cameFromRecentEmailLink", () => {
  const now = 1_800_000_000;
  it("accepts a session from an invitation, recovery or sign-in link within the hour", () => {
    for (const method of ["otp", "invite", "recovery", "magiclink"]) {
      expect(cameFromRecentEmailLink({ amr: [{ method, timestamp: now - 60 }] }, now)).toBe(true);
    }
    expect(cameFromRecentEmailLink({ amr: [{ method: "otp", timestamp: now - EMAIL_LINK_GRACE_SECONDS }] }, now)).toBe(true);
  });

  it("refuses password sessions, refreshed-only sessions, old links and missing claims", () => {
    expect(cameFromRecentEmailLink({ amr: [{ method: "password", timestamp: now - 10 }] }, now)).toBe(false);
    expect(cameFromRecentEmailLink({ amr: [{ method: "token_refresh", timestamp: now - 10 }] }, now)).toBe(false);
    expect(cameFromRecentEmailLink({ amr: [{ method: "otp", timestamp: now - EMAIL_LINK_GRACE_SECONDS - 1 }] }, now)).toBe(false);
    expect(cameFromRecentEmailLink({ amr: [{ method: "otp", timestamp: now + 3600 }] }, now)).toBe(false);
    expect(cameFromRecentEmailLink({}, now)).toBe(false);
  });
});

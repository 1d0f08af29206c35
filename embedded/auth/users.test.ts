import { describe, expect, it } from "vitest";
import { checkPasswordStrength, normaliseEmail } from "./credentials.server";
import { isBanned, metadataPatch, toUserJson, type UserRow } from "./users.server";

const base: UserRow = {
  id: "0f8fad5b-d9cb-469f-a165-70867728950e",
  aud: "authenticated",
  role: "authenticated",
  email: "teacher@example.test",
  encrypted_password: "$2a$10$secret",
  email_confirmed_at: new Date("2025-01-02T03:04:05.678Z"),
  phone: null,
  phone_confirmed_at: null,
  confirmation_sent_at: null,
  recovery_sent_at: null,
  email_change: "",
  email_change_sent_at: null,
  invited_at: null,
  last_sign_in_at: null,
  raw_app_meta_data: { provider: "email", providers: ["email"] },
  raw_user_meta_data: null,
  created_at: new Date("2025-01-01T00:00:00Z"),
  updated_at: "2025-01-02T03:04:05.678+00:00",
  banned_until: null,
  deleted_at: null,
  is_anonymous: false,
  identities: [
    {
      id: "9b2c7a0e-8f63-4f2a-9a3e-0d3f4c5b6a71",
      provider_id: "0f8fad5b-d9cb-469f-a165-70867728950e",
      user_id: "0f8fad5b-d9cb-469f-a165-70867728950e",
      identity_data: { sub: "0f8fad5b-d9cb-469f-a165-70867728950e", email: "teacher@example.test" },
      provider: "email",
      last_sign_in_at: null,
      created_at: "2025-01-01T00:00:00+00:00",
      updated_at: "2025-01-01T00:00:00+00:00",
      email: "teacher@example.test",
    },
  ],
};

describe("toUserJson", () => {
  it("serialises like GoTrue's models.User: omitempty timestamps, empty strings, no password", () => {
    expect(toUserJson(base)).toEqual({
      id: base.id,
      aud: "authenticated",
      role: "authenticated",
      email: "teacher@example.test",
      email_confirmed_at: "2025-01-02T03:04:05.678Z",
      phone: "",
      confirmed_at: "2025-01-02T03:04:05.678Z",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: {},
      identities: [
        {
          identity_id: "9b2c7a0e-8f63-4f2a-9a3e-0d3f4c5b6a71",
          id: base.id,
          user_id: base.id,
          identity_data: { sub: base.id, email: "teacher@example.test" },
          provider: "email",
          created_at: "2025-01-01T00:00:00.000Z",
          updated_at: "2025-01-01T00:00:00.000Z",
          email: "teacher@example.test",
        },
      ],
      created_at: "2025-01-01T00:00:00.000Z",
      updated_at: "2025-01-02T03:04:05.678Z",
      is_anonymous: false,
    });
    expect(JSON.stringify(toUserJson(base))).not.toContain("$2a$");
  });

  it("shows bans, deletion and a missing email as GoTrue does", () => {
    const json = toUserJson({ ...base, email: null, identities: null, banned_until: new Date("2030-01-01T00:00:00Z") });
    expect(json).toMatchObject({ email: "", identities: [], banned_until: "2030-01-01T00:00:00.000Z" });
  });
});

describe("isBanned", () => {
  it("is true only until banned_until", () => {
    const now = new Date("2025-06-01T00:00:00Z");
    expect(isBanned({ banned_until: null }, now)).toBe(false);
    expect(isBanned({ banned_until: new Date("2025-06-02T00:00:00Z") }, now)).toBe(true);
    expect(isBanned({ banned_until: "2025-05-01T00:00:00Z" }, now)).toBe(false);
  });
});

describe("metadataPatch", () => {
  it("splits an update into keys to set and keys to remove (null), as GoTrue merges metadata", () => {
    expect(metadataPatch({ a: 1, b: null, c: { d: null } })).toEqual({
      set: JSON.stringify({ a: 1, c: { d: null } }),
      remove: JSON.stringify(["b"]),
    });
  });
});

describe("credentials", () => {
  it("enforces the portal's password policy with GoTrue's weak_password reasons", () => {
    const weak = (reasons: string[]) =>
      expect.objectContaining({ status: 422, code: "weak_password", extra: { weakPasswordReasons: reasons } });
    expect(() => checkPasswordStrength("1234567")).toThrow(weak(["length", "pwned"]));
    expect(() => checkPasswordStrength("同课同课同课")).toThrow(weak(["length", "pwned"]));
    expect(() => checkPasswordStrength("\u200b".repeat(8))).toThrow(weak(["characters"]));
    expect(() => checkPasswordStrength("password")).toThrow(weak(["pwned"]));
    expect(() => checkPasswordStrength("woaini1314")).toThrow(
      expect.objectContaining({ message: "Password is known to be weak and easy to guess, please choose a different one." }),
    );
    expect(() => checkPasswordStrength("hechuan-principal", "hechuan-principal@example.com")).toThrow(weak(["pwned"]));
    expect(() => checkPasswordStrength("tongke-demo")).not.toThrow();
    expect(() => checkPasswordStrength("同课备课到深夜吧")).not.toThrow();
    expect(() => checkPasswordStrength("x".repeat(73))).toThrow(expect.objectContaining({ status: 400, code: "validation_failed" }));
  });

  it("lowercases valid addresses and refuses malformed ones", () => {
    expect(normaliseEmail("  Teacher@Example.TEST ")).toBe("teacher@example.test");
    for (const bad of ["", "no-at-sign", "a@b", "two@@example.test", `${"x".repeat(250)}@example.test`]) {
      expect(normaliseEmail(bad)).toBeNull();
    }
  });
});

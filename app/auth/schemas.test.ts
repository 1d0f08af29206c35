import { describe, expect, it } from "vitest";
import { PasswordChangeSchema, ProfileSchema, SignInSchema } from "./schemas";

const messages = (result: { success: boolean; error?: { issues: { message: string; path: (string | number)[] }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => `${i.path.join(".")}:${i.message}`);

describe("SignInSchema", () => {
  it("accepts an email and a password, trimming the email", () => {
    const parsed = SignInSchema.parse({ email: "  teacher.hechuan@example.com ", password: "tongke-demo" });
    expect(parsed.email).toBe("teacher.hechuan@example.com");
  });
  it("answers with translation keys", () => {
    expect(messages(SignInSchema.safeParse({ email: "nope", password: "x" }))).toEqual(["email:validation:email"]);
    expect(messages(SignInSchema.safeParse({}))).toEqual(["email:validation:required", "password:validation:required"]);
  });
});

describe("PasswordChangeSchema", () => {
  const base = { intent: "password", currentPassword: "tongke-demo" };
  it("needs 8 characters, a matching confirmation and a new value", () => {
    expect(messages(PasswordChangeSchema.safeParse({ ...base, newPassword: "short", confirmPassword: "short" }))).toEqual([
      "newPassword:validation:passwordTooShort",
    ]);
    expect(messages(PasswordChangeSchema.safeParse({ ...base, newPassword: "long-enough", confirmPassword: "different" }))).toEqual([
      "confirmPassword:validation:passwordsDiffer",
    ]);
    expect(messages(PasswordChangeSchema.safeParse({ ...base, newPassword: "tongke-demo", confirmPassword: "tongke-demo" }))).toEqual([
      "newPassword:validation:passwordUnchanged",
    ]);
    expect(PasswordChangeSchema.safeParse({ ...base, newPassword: "long-enough", confirmPassword: "long-enough" }).success).toBe(true);
  });
});

describe("ProfileSchema", () => {
  it("trims the display name, refuses blanks and unknown languages", () => {
    expect(ProfileSchema.parse({ intent: "profile", displayName: " 扎西 ", preferredLanguage: "bo" }).displayName).toBe("扎西");
    expect(messages(ProfileSchema.safeParse({ intent: "profile", displayName: "   ", preferredLanguage: "fr" }))).toEqual([
      "displayName:validation:required",
      "preferredLanguage:validation:invalidChoice",
    ]);
  });
});

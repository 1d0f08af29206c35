import { describe, expect, it } from "vitest";
import {
  GOTRUE_WEAK_PASSWORD_REASONS,
  PASSWORD_PROBLEM_KEYS,
  passwordProblem,
  passwordProblems,
  passwordShapeProblems,
  problemOfWeakPasswordReasons,
} from "./password-policy";

describe("password policy", () => {
  it.each([
    "tongke-demo",
    "a brand new passphrase",
    "correct horse battery staple",
    "Tz8#qL2v",
    "mountain-river-77",
    "合川与类乌齐同上一堂课",
    "བཀྲ་ཤིས་བདེ་ལེགས།",
    "lesson plans at dusk",
    "Leiwuqi-snow-2026-goats",
  ])("accepts %j", (password) => {
    expect(passwordProblems(password, { email: "teacher.hechuan@example.com" })).toEqual([]);
  });

  it.each(["123456", "aaaaaa", "short", "同课同课同课", "abc 12"])("refuses %j as too short", (password) => {
    expect(passwordProblem(password)).toBe("tooShort");
  });

  it.each([
    ["six zero-width spaces", "\u200b".repeat(6)],
    ["eight zero-width spaces", "\u200b".repeat(8)],
    ["spaces only", "          "],
    ["tabs and ideographic spaces", "\t\t\u3000\u3000\u3000\u3000\t\t"],
    ["a zero-width joiner inside", "tongke\u200d-demo"],
    ["a byte-order mark", "\ufefftongke-demo"],
    ["a right-to-left override", "tongke-\u202edemo"],
    ["a soft hyphen", "tongke\u00ad-demo"],
    ["a control character", "tongke-demo\u0007"],
    ["a Hangul filler", "tongke\u3164demo"],
  ])("refuses %s as invisible", (_, password) => {
    expect(passwordProblems(password)).toContain("invisible");
    expect(passwordShapeProblems(password)).toContain("invisible");
  });

  it.each([
    "password",
    "12345678",
    "123456789",
    "qwertyuiop",
    "aaaaaaaa",
    "11111111",
    "88888888",
    "woaini1314",
    "woaini520",
    "5201314woaini",
    "P@ssw0rd",
    "Password2024!",
    "iloveyou!!",
    "1qaz2wsx",
    "qazwsxedc",
    "asdfghjkl;",
    "zxcvbnm,./",
    "7894561230",
    "19870612",
    "abcdefgh",
    "87654321",
    "woaiwoai",
    "abcabcab",
    "monkeymonkey",
    "zhangwei1990",
    "qq123456789",
    "abc123456",
    "Chongqing2026",
    "dearbook",
    "woaizhongguo",
    "zhaxidele",
    "1234qwer",
    "q1w2e3r4t5",
  ])("refuses %j as common", (password) => {
    expect(passwordProblems(password)).toEqual(["common"]);
  });

  it("refuses the address's own name, with or without digits", () => {
    const email = "teacher.hechuan@tongke-school.cn";
    expect(passwordProblem("teacher.hechuan", { email })).toBe("common");
    expect(passwordProblem("teacherhechuan1", { email })).toBe("common");
    expect(passwordProblem("Hechuan2024!", { email })).toBe("common");
    expect(passwordProblem("tongke-school", { email })).toBe("common");
    expect(passwordProblem("teacher.hechuan")).toBeNull();
  });

  it("refuses passwords bcrypt would cut short, counting bytes as GoTrue does", () => {
    expect(passwordProblems("x".repeat(72) + "y")).toContain("tooLong");
    expect(passwordProblems("同".repeat(25))).toContain("tooLong");
    expect(passwordProblems("同课备课到深夜吧")).toEqual([]);
    expect(passwordProblems("同课同课同课同课")).toEqual(["common"]);
  });

  it("checks only length, size and visibility in the browser's part", () => {
    expect(passwordShapeProblems("password")).toEqual([]);
    expect(passwordShapeProblems("1234567")).toEqual(["tooShort"]);
  });

  it("names a translation key for every problem and GoTrue's reason for the weak ones", () => {
    for (const key of Object.values(PASSWORD_PROBLEM_KEYS)) expect(key).toMatch(/^validation:password/);
    expect(GOTRUE_WEAK_PASSWORD_REASONS).toEqual({ tooShort: "length", invisible: "characters", common: "pwned" });
    expect(problemOfWeakPasswordReasons(["length"])).toBe("tooShort");
    expect(problemOfWeakPasswordReasons(["characters"])).toBe("invisible");
    expect(problemOfWeakPasswordReasons(["pwned"])).toBe("common");
    expect(problemOfWeakPasswordReasons(undefined)).toBe("common");
  });
});

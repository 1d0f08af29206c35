import { describe, expect, it } from "vitest";
import { isValidBucketName, isValidObjectKey } from "./object-keys";

describe("isValidObjectKey", () => {
  it.each(["a.png", "3f1c2b9e-8a55-4c8e-9d1a-2b7e6f0c4d11/0b6f.png", "folder/sub/file name (1).jpg", ".hidden/x", "a/..b/c.."])(
    "takes %s",
    (key) => expect(isValidObjectKey(key)).toBe(true),
  );

  it.each([
    "",
    "../x.png",
    "a/../../x.png",
    "a/./x.png",
    "a//x.png",
    "/x.png",
    "x/",
    "a\\..\\x.png",
    "a\u0000.png",
    "图片.png",
    "x".repeat(1025),
  ])("refuses %j", (key) => expect(isValidObjectKey(key)).toBe(false));
});

describe("isValidBucketName", () => {
  it("takes Storage's bucket names and refuses paths", () => {
    expect(isValidBucketName("lesson-plan-images")).toBe(true);
    for (const name of ["", ".", "..", "a/b", "../etc", "x".repeat(101)]) expect(isValidBucketName(name)).toBe(false);
  });
});

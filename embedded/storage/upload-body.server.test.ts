import { describe, expect, it } from "vitest";
import { StorageHttpError } from "./errors.server";
import { checkMimeType } from "./upload-body.server";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const IMAGES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
const file = (bytes: Buffer, mimeType: string) => ({ bytes, mimeType, cacheControl: "no-cache" });

function refusal(run: () => void) {
  try {
    run();
  } catch (error) {
    if (error instanceof StorageHttpError) return error.render();
    throw error;
  }
  return null;
}

describe("checkMimeType", () => {
  it("takes what the bucket allows when the content agrees", () => {
    expect(refusal(() => checkMimeType(file(PNG, "image/png"), IMAGES))).toBeNull();
    expect(refusal(() => checkMimeType(file(PNG, "image/png"), ["image/*"]))).toBeNull();
    expect(refusal(() => checkMimeType(file(Buffer.from("<svg/>"), "image/svg+xml"), ["image/*"]))).toBeNull();
    expect(refusal(() => checkMimeType(file(Buffer.from("<p>hi</p>"), "text/html"), null))).toBeNull();
  });

  it("refuses other types as Storage does", () => {
    expect(refusal(() => checkMimeType(file(Buffer.from("<svg/>"), "image/svg+xml"), IMAGES))).toEqual({
      statusCode: "415",
      code: "InvalidMimeType",
      error: "invalid_mime_type",
      message: "mime type image/svg+xml is not supported",
    });
    expect(refusal(() => checkMimeType(file(PNG, "png"), IMAGES))).toMatchObject({ message: "mime type png is not supported" });
  });

  it("refuses content that is not what its type says", () => {
    const mismatch = { statusCode: "415", message: "mime type image/png does not match the file's content" };
    expect(refusal(() => checkMimeType(file(Buffer.from("<!doctype html>"), "image/png"), IMAGES))).toMatchObject(mismatch);
    expect(refusal(() => checkMimeType(file(Buffer.from("GIF89a"), "image/png"), IMAGES))).toMatchObject(mismatch);
    // A type we cannot recognise passes on its word, but not as markup or as another known format.
    expect(refusal(() => checkMimeType(file(Buffer.from("<script>"), "image/avif"), ["image/*"]))).toMatchObject({ statusCode: "415" });
    expect(refusal(() => checkMimeType(file(PNG, "image/avif"), ["image/*"]))).toMatchObject({ statusCode: "415" });
  });
});

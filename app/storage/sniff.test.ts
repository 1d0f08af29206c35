import { describe, expect, it } from "vitest";
import { looksLikeMarkup, sniffMimeType } from "./sniff";

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

describe("sniffMimeType", () => {
  it.each([
    ["image/png", bytes([0x89], "PNG\r\n", [0x1a, 0x0a, 0, 0])],
    ["image/jpeg", bytes([0xff, 0xd8, 0xff, 0xdb])],
    ["image/gif", bytes("GIF87a")],
    ["image/gif", bytes("GIF89a", [1, 0])],
    ["image/webp", bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 ")],
    ["application/pdf", bytes("%PDF-1.7")],
  ])("recognises %s", (type, content) => {
    expect(sniffMimeType(content)).toBe(type);
  });

  it.each([
    ["a RIFF file that is not WebP", bytes("RIFF", [0, 0, 0, 0], "WAVEfmt ")],
    ["a truncated PNG signature", bytes([0x89], "PNG")],
    ["SVG", bytes("<svg xmlns='http://www.w3.org/2000/svg'/>")],
    ["nothing", bytes()],
  ])("knows nothing of %s", (_, content) => {
    expect(sniffMimeType(content)).toBeNull();
  });
});

describe("looksLikeMarkup", () => {
  it("sees HTML, SVG and XML behind a byte-order mark and whitespace", () => {
    expect(looksLikeMarkup(bytes("<!doctype html>"))).toBe(true);
    expect(looksLikeMarkup(bytes([0xef, 0xbb, 0xbf], " \r\n\t<svg/>"))).toBe(true);
    expect(looksLikeMarkup(bytes("GIF89a<script>"))).toBe(false);
    expect(looksLikeMarkup(bytes())).toBe(false);
  });
});

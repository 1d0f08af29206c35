/**
 * What a file is, from its first bytes rather than from the name or Content-Type it came
 * with. Only the formats whose signatures are unambiguous; null for anything else.
 */
const SIGNATURES: { type: string; test: (b: Uint8Array) => boolean }[] = [
  { type: "image/png", test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: "image/jpeg", test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { type: "image/gif", test: (b) => ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a") },
  { type: "image/webp", test: (b) => ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP") },
  { type: "application/pdf", test: (b) => ascii(b, 0, "%PDF-") },
];

export const SNIFFABLE_TYPES: readonly string[] = SIGNATURES.map((s) => s.type);

export function sniffMimeType(bytes: Uint8Array): string | null {
  return SIGNATURES.find((s) => s.test(bytes))?.type ?? null;
}

/**
 * Whether the file starts like HTML, SVG or XML (after an optional byte-order mark and
 * whitespace): content a browser may run scripts in, whatever type it was declared as.
 */
export function looksLikeMarkup(bytes: Uint8Array): boolean {
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && i < 1024 && [0x09, 0x0a, 0x0c, 0x0d, 0x20].includes(bytes[i])) i++;
  return bytes[i] === 0x3c; // "<"
}

function startsWith(bytes: Uint8Array, prefix: number[]) {
  return bytes.length >= prefix.length && prefix.every((value, i) => bytes[i] === value);
}

function ascii(bytes: Uint8Array, offset: number, text: string) {
  return startsWith(
    bytes.subarray(offset),
    [...text].map((c) => c.charCodeAt(0)),
  );
}

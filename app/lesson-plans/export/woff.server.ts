import { inflateSync } from "node:zlib";

const WOFF_SIGNATURE = 0x774f4646; // "wOFF"
const WOFF_HEADER = 44;
const WOFF_ENTRY = 20;
const SFNT_HEADER = 12;
const SFNT_ENTRY = 16;

const HEAD = 0x68656164; // "head"

const pad4 = (n: number) => (n + 3) & ~3;

/**
 * The TrueType/OpenType file inside a WOFF 1.0 font: the same tables, each inflated when WOFF compressed it
 * (https://www.w3.org/TR/WOFF/#conform-mustRestoreFontData). Word embeds sfnt fonts only, and fontsource
 * ships WOFF and WOFF2; WOFF2's Brotli and glyf transforms are far more work, so only WOFF 1.0 is read.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < WOFF_HEADER || woff.readUInt32BE(0) !== WOFF_SIGNATURE) throw new Error("Not a WOFF 1.0 font");
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const entry = WOFF_HEADER + i * WOFF_ENTRY;
    const offset = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const stored = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(stored) : stored;
    if (data.length !== origLength) throw new Error("WOFF table has the wrong length");
    return { tag: woff.readUInt32BE(entry), checksum: woff.readUInt32BE(entry + 16), data };
  });
  // The WOFF directory is sorted by tag, as the sfnt directory must be.
  let power = 1;
  while (power * 2 <= numTables) power *= 2;
  const header = Buffer.alloc(SFNT_HEADER + numTables * SFNT_ENTRY);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(numTables * 16 - power * 16, 10);
  const chunks: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((table, i) => {
    const entry = SFNT_HEADER + i * SFNT_ENTRY;
    header.writeUInt32BE(table.tag, entry);
    header.writeUInt32BE(table.checksum, entry + 4);
    header.writeUInt32BE(offset, entry + 8);
    header.writeUInt32BE(table.data.length, entry + 12);
    const padded = Buffer.alloc(pad4(table.data.length));
    table.data.copy(padded);
    chunks.push(padded);
    offset += padded.length;
  });
  const sfnt = Buffer.concat(chunks);
  // The tables may sit in another order than in the original file, so the whole-file checksum is redone.
  const head = tables.findIndex((table) => table.tag === HEAD);
  if (head >= 0) {
    const adjustment = header.readUInt32BE(SFNT_HEADER + head * SFNT_ENTRY + 8) + 8;
    sfnt.writeUInt32BE(0, adjustment);
    sfnt.writeUInt32BE((0xb1b0afba - checksum(sfnt)) >>> 0, adjustment);
  }
  return sfnt;
}

function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 4 <= data.length; i += 4) sum = (sum + data.readUInt32BE(i)) >>> 0;
  return sum;
}

// Writes .br and .gz beside every compressible file of the browser build (public/build), at
// the highest levels, once per build: the server then sends hashed assets as they are
// instead of compressing them per request at a lower level. Fonts (woff2) are compressed
// already and are left alone. Run by `npm run build`, after `remix build` emptied the folder.
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";

const COMPRESSIBLE = /\.(js|mjs|css|json|svg|map|txt|html)$/;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export async function compressAssets(dir = "public/build") {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && COMPRESSIBLE.test(e.name)).map((e) => path.join(e.parentPath, e.name));
  const totals = { plain: 0, gzip: 0, br: 0 };
  // Two at a time: brotli at quality 11 is CPU-bound and the build machine has two cores.
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const plain = await fs.readFile(file);
      const [br, gz] = await Promise.all([
        brotli(plain, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
          },
        }),
        gzip(plain, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      // A variant no smaller than the file is not written; the server then sends the file.
      if (br.length < plain.length) await fs.writeFile(`${file}.br`, br);
      if (gz.length < plain.length) await fs.writeFile(`${file}.gz`, gz);
      totals.plain += plain.length;
      totals.gzip += Math.min(gz.length, plain.length);
      totals.br += Math.min(br.length, plain.length);
    }
  };
  await Promise.all([worker(), worker()]);
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`Compressed ${files.length} assets: ${kib(totals.plain)} plain, ${kib(totals.gzip)} gzip, ${kib(totals.br)} brotli`);
}

if (import.meta.url === `file://${process.argv[1]}`) await compressAssets();

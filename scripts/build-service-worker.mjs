// Builds the service worker (app/service-worker/service-worker.ts) into public/sw.js, with the
// list of files it precaches, and the offline pages it shows into public/offline/<language>.html.
// Run by `npm run build`, after `remix build`: the precache list is the build's app shell first —
// the entry chunk and its imports, the root route's module, imports and CSS, the CSS bundle, read
// from the server build's assets manifest (and that manifest's own file) — then every other
// chunk and style sheet, the offline pages and the web app manifest.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const LANGUAGES = ["zh-CN", "bo", "en"];
const DIRECTION = { "zh-CN": "ltr", bo: "ltr", en: "ltr" };

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const revisionOf = (content) => createHash("sha256").update(content).digest("hex").slice(0, 16);

/** A page with no script and no request of its own: it must show without a network. */
function offlinePage(language, strings) {
  const { title, body, retry } = strings.offline;
  return `<!doctype html>
<html lang="${language}" dir="${DIRECTION[language]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(strings.brand)}</title>
<style>
  body { margin: 0; font-family: system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Microsoft Himalaya", "Noto Serif Tibetan", "Jomolhari", sans-serif; color: #1f2328; background: #f6f8fa; line-height: 1.7; }
  main { max-width: 32rem; margin: 3rem auto; padding: 1.5rem; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  a { display: inline-block; padding: 0.5rem 1rem; background: #0b5cad; color: #fff; border-radius: 6px; text-decoration: none; }
  a:focus-visible { outline: 3px solid #1f2328; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(body)}</p>
<p><a href="/">${escapeHtml(retry)}</a></p>
</main>
</body>
</html>
`;
}

export async function buildServiceWorker() {
  const started = performance.now();
  const precache = [];

  await fs.mkdir("public/offline", { recursive: true });
  for (const language of LANGUAGES) {
    const strings = JSON.parse(await fs.readFile(`public/locales/${language}/common.json`, "utf8"));
    const page = offlinePage(language, strings);
    await fs.writeFile(`public/offline/${language}.html`, page);
    precache.push({ url: `/offline/${language}.html`, revision: revisionOf(page) });
  }
  for (const file of ["manifest.webmanifest", "favicon.svg"]) {
    precache.push({ url: `/${file}`, revision: revisionOf(await fs.readFile(path.join("public", file))) });
  }

  // Hashed names: the URL is the revision.
  const serverBuild = path.resolve("build/index.js");
  delete require.cache[serverBuild];
  const { assets } = require(serverBuild);
  const root = assets.routes.root;
  const shell = new Set([
    assets.url,
    assets.entry.module,
    ...assets.entry.imports,
    root.module,
    ...(root.imports ?? []),
    ...(root.css ?? []),
  ]);
  const cssBundle = (await fs.readdir("public/build")).find((name) => /^css-bundle-.*\.css$/.test(name));
  if (cssBundle) shell.add(`/build/${cssBundle}`);
  // Then every other chunk and style sheet of the build, so a second visit to any page, the
  // editor included, runs from the device. Fonts are kept once a page has used them.
  for (const entry of await fs.readdir("public/build", { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.(js|css)$/.test(entry.name)) {
      shell.add(`/build/${path.relative("public/build", path.join(entry.parentPath, entry.name)).split(path.sep).join("/")}`);
    }
  }
  for (const url of shell) precache.push({ url, revision: null });

  await build({
    entryPoints: ["app/service-worker/service-worker.ts"],
    outfile: "public/sw.js",
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    legalComments: "none",
    define: {
      "process.env.NODE_ENV": '"production"',
      "self.__TONGKE_PRECACHE": JSON.stringify(precache),
      "self.__TONGKE_LANGUAGES": JSON.stringify(LANGUAGES),
    },
    logLevel: "warning",
  });
  const size = (await fs.stat("public/sw.js")).size;
  console.log(
    `Service worker: public/sw.js (${(size / 1024).toFixed(1)} KiB), ${precache.length} files precached, ` +
      `offline pages in ${LANGUAGES.join(", ")} (${Math.round(performance.now() - started)} ms)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await buildServiceWorker();

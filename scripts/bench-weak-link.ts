/**
 * `npm run bench:weak-link`: how the portal feels on the Leiwuqi link. Figures, not a test: it
 * prints a Markdown table with the targets of issue 11, lists the misses and exits 0.
 *
 * It starts the production build as `npm start` does (`node build/server.js`; run
 * `npm run build` first) on a free port, from a fresh PGlite directory under .tmp/ with the
 * demo data, and makes what the demo data lacks through the app itself, unthrottled: a pairing
 * 南屏小学 ⇄ 类乌齐县第一小学 (proposed by one coordinator, accepted by the other), a lesson
 * plan led by 扎西卓玛 (teacher.leiwuqi) and a live class she receives.
 *
 * Then, in Chromium (Playwright, fake camera and microphone), for each network profile, each
 * page is opened cold (a new browser profile: empty HTTP cache, no service worker) and warm
 * (a second visit from the same profile, once its service worker, if any, is active). The
 * network is throttled with CDP `Network.emulateNetworkConditions` on the page and on every
 * service worker of the profile (their own fetches are not the page's). Each row says:
 *  - usable: from navigation start until the page is hydrated (Remix's router initialised) and its own condition holds — the sign-in form, the page's heading; for
 *    the editor, the document shown, a typed character sent and acknowledged by the
 *    collaboration server (the sync state back at "saved"); for the classroom, the camera
 *    preview on and the Join button enabled;
 *  - bytes transferred on the wire (headers included) by type, until the network has been
 *    quiet for a second after that.
 * For the editor it also prints its steps: first paint of the server-rendered plan, WebSocket
 * opened and authenticated, editor editable, typed character acknowledged.
 *
 *   npm run bench:weak-link
 *   npm run bench:weak-link -- --profiles leiwuqi --pages editor,home-zh --runs 3
 *   npm run bench:weak-link -- --json .tmp/weak-link-after.json --compare .tmp/weak-link-before.json
 *
 * The machine's own fonts take part, as on a school device: scripts/ensure-browser.sh installs
 * Noto Sans CJK SC and Noto Serif Tibetan, and the report says which fonts it found.
 * `--device-fonts none` shows Chromium only DejaVu: a device without them, the web fonts' case.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page, type Worker } from "playwright-core";
import { startProductionServer, type ProductionServer } from "./bench-support/http";

const PASSWORD = "tongke-demo";
const LEIWUQI_TEACHER = "teacher.leiwuqi@example.com";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Profile {
  key: string;
  label: string;
  /** Round trip added to every request, ms. */
  latency: number;
  /** Bytes per second. */
  down: number;
  up: number;
}

const PROFILES: Profile[] = [
  { key: "leiwuqi", label: "Leiwuqi (1 Mbit/s ↓, 0.5 Mbit/s ↑, 600 ms RTT)", latency: 600, down: 1_000_000 / 8, up: 500_000 / 8 },
  { key: "good", label: "good link (20 Mbit/s ↓, 5 Mbit/s ↑, 40 ms RTT)", latency: 40, down: 20_000_000 / 8, up: 5_000_000 / 8 },
];

type Kind = "font" | "script" | "document" | "css" | "other";
const KINDS: Kind[] = ["font", "script", "document", "css", "other"];

interface PageSpec {
  key: string;
  label: string;
  path: (world: World) => string;
  signedIn: boolean;
  lng: "zh-CN" | "bo";
  kind: "page" | "editor" | "classroom";
  /** Cold, Leiwuqi: usable within (s); null: figures only. */
  coldTarget: number | null;
  /** Cold, Leiwuqi: at most this many KiB transferred. */
  coldBytesTarget?: number;
  warmTarget: number | null;
}

interface World {
  pairingId: string;
  planId: string;
  sessionId: string;
}

const PAGES: PageSpec[] = [
  { key: "sign-in", label: "sign-in", path: () => "/login", signedIn: false, lng: "zh-CN", kind: "page", coldTarget: 5, warmTarget: 2 },
  {
    key: "home-zh",
    label: "home (zh-CN)",
    path: () => "/",
    signedIn: true,
    lng: "zh-CN",
    kind: "page",
    coldTarget: 5,
    coldBytesTarget: 250,
    warmTarget: 2,
  },
  {
    key: "home-bo",
    label: "home (bo)",
    path: () => "/",
    signedIn: true,
    lng: "bo",
    kind: "page",
    coldTarget: 5,
    coldBytesTarget: 250,
    warmTarget: 2,
  },
  {
    key: "workspace",
    label: "pairing workspace",
    path: (w) => `/pairings/${w.pairingId}`,
    signedIn: true,
    lng: "zh-CN",
    kind: "page",
    coldTarget: 5,
    warmTarget: 2,
  },
  {
    key: "plans",
    label: "plan list",
    path: (w) => `/pairings/${w.pairingId}/plans`,
    signedIn: true,
    lng: "zh-CN",
    kind: "page",
    coldTarget: 5,
    warmTarget: 2,
  },
  {
    key: "plan",
    label: "plan read view",
    path: (w) => `/lesson-plans/${w.planId}`,
    signedIn: true,
    lng: "zh-CN",
    kind: "page",
    coldTarget: 5,
    warmTarget: 2,
  },
  {
    key: "editor",
    label: "plan editor (typing accepted)",
    path: (w) => `/lesson-plans/${w.planId}/edit`,
    signedIn: true,
    lng: "zh-CN",
    kind: "editor",
    coldTarget: 6,
    warmTarget: 2,
  },
  {
    key: "classroom",
    label: "classroom pre-join check",
    path: (w) => `/live/${w.sessionId}/room`,
    signedIn: true,
    lng: "zh-CN",
    kind: "classroom",
    coldTarget: null,
    warmTarget: null,
  },
];

const wantedProfiles = option("profiles")?.split(",");
const wantedPages = option("pages")?.split(",");
const RUNS = Number(option("runs") ?? 1);
const JSON_OUT = option("json");
const COMPARE = option("compare");
const SERVER = option("server") ?? "build/server.js";
/** `--device-fonts none`: Chromium sees only DejaVu, as a device without a CJK or Tibetan font. */
const DEVICE_FONTS = option("device-fonts") ?? "installed";

// ---------------------------------------------------------------------------------------------
// The server

type Server = ProductionServer;

async function startServer(): Promise<Server> {
  fs.mkdirSync(".tmp", { recursive: true });
  const dataDir = fs.mkdtempSync(path.resolve(".tmp", "weak-link-"));
  return startProductionServer({
    server: SERVER,
    env: {
      DATA_DIR: dataDir,
      // Nothing answers here: the classroom meets an unreachable video server, as on CI.
      LIVEKIT_URL: "ws://127.0.0.1:7880",
    },
    timeoutMs: 180_000,
    cleanUp: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  });
}

// ---------------------------------------------------------------------------------------------
// What the demo data lacks, made through the app (unthrottled)

async function signedInContext(browser: Browser, url: string, email: string, lng: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: url, locale: "zh-CN", viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["camera", "microphone"]);
  const signIn = await context.request.post("/login", { form: { email, password: PASSWORD, redirectTo: "" }, maxRedirects: 0 });
  if (signIn.status() !== 302 && signIn.status() !== 303) throw new Error(`Signing in as ${email} answered ${signIn.status()}`);
  await setLanguage(context, lng);
  return context;
}

async function setLanguage(context: BrowserContext, lng: string) {
  const response = await context.request.post("/language", { form: { lng, redirectTo: "/" }, maxRedirects: 0 });
  if (response.status() >= 400) throw new Error(`Choosing ${lng} answered ${response.status()}`);
}

async function label(page: Page, text: string) {
  return page.getByLabel(text, { exact: true });
}

async function makeWorld(browser: Browser, url: string): Promise<World> {
  const PARTNER = "类乌齐县第一小学";
  const hechuan = await signedInContext(browser, url, "coordinator.hechuan@example.com", "zh-CN");
  let page = await hechuan.newPage();
  await page.goto("/pairings/new");
  await (await label(page, "本方学校")).selectOption({ label: "重庆市合川区南屏小学" });
  await (await label(page, "结对学校（另一区县）")).selectOption({ label: PARTNER });
  await (await label(page, "语文")).check();
  await page.getByRole("button", { name: "发起结对" }).click();
  await page.getByRole("status").filter({ hasText: "结对已发起。" }).waitFor();
  const pairingId = /\/pairings\/([0-9a-f-]{36})/.exec(page.url())![1];
  await hechuan.close();

  const leiwuqi = await signedInContext(browser, url, "coordinator.leiwuqi@example.com", "zh-CN");
  page = await leiwuqi.newPage();
  await page.goto(`/pairings/${pairingId}`);
  await page.getByRole("button", { name: "同意结对" }).click();
  await page.getByRole("status").filter({ hasText: "已同意结对" }).waitFor({ timeout: 60_000 });
  await leiwuqi.close();

  const teacher = await signedInContext(browser, url, LEIWUQI_TEACHER, "zh-CN");
  page = await teacher.newPage();
  await page.goto(`/pairings/${pairingId}/plans/new`);
  await (await label(page, "课题")).fill("秋天的雨");
  await (await label(page, "学科")).selectOption({ label: "语文" });
  await (await label(page, "年级")).selectOption({ label: "三年级" });
  await (await label(page, "教材单元")).fill("第一单元");
  await page.getByRole("button", { name: "创建教案" }).click();
  await page.waitForURL(/\/lesson-plans\/[0-9a-f-]{36}\/edit$/);
  const planId = /\/lesson-plans\/([0-9a-f-]{36})/.exec(page.url())![1];
  await page.locator(".sync-state").filter({ hasText: "已保存" }).waitFor({ timeout: 60_000 });
  await teacher.close();

  const main = await signedInContext(browser, url, "teacher.hechuan@example.com", "zh-CN");
  page = await main.newPage();
  await page.goto(`/pairings/${pairingId}/sessions/new`);
  const day = new Date(Date.now() + 7 * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
  await (await label(page, "课题")).fill("《秋天的雨》第一课时");
  await (await label(page, "关联教案")).selectOption({ label: "秋天的雨" });
  await (await label(page, "主讲教室")).selectOption({ label: "三年级二班 · 重庆市合川区南屏小学" });
  await (await label(page, "主讲教师")).selectOption({ label: "王丽" });
  await (await label(page, "接收教室 1")).selectOption({ label: "三年级一班 · 类乌齐县第一小学" });
  await (await label(page, "接收教室 1 的助学教师")).selectOption({ label: "扎西卓玛" });
  await (await label(page, "开始时间（北京时间）")).fill(`${day}T09:00`);
  await (await label(page, "时长（分钟）")).fill("45");
  await page.getByRole("button", { name: "安排", exact: true }).click();
  await page.waitForURL(/\/live\/[0-9a-f-]{36}/);
  const sessionId = /\/live\/([0-9a-f-]{36})/.exec(page.url())![1];
  await main.close();
  return { pairingId, planId, sessionId };
}

// ---------------------------------------------------------------------------------------------
// Measuring one visit

/**
 * Runs in every page before its own scripts: the moments the bench reads back. A string, not a
 * function: tsx would add helpers to a function that do not exist in the page.
 */
const PROBE = `(() => {
  const tk = { hydrated: null, sync: [], ws: [] };
  window.__tk = tk;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      const entry = { url: String(url), created: performance.now(), open: null, firstMessage: null };
      tk.ws.push(entry);
      this.addEventListener("open", () => (entry.open = performance.now()));
      this.addEventListener("message", () => (entry.firstMessage ??= performance.now()));
    }
  };
  // Polled on timers, not animation frames: those may not run in a page that is not in front.
  const watch = setInterval(() => {
    const router = window.__remixRouter;
    if (router && router.state && router.state.initialized) {
      clearInterval(watch);
      setTimeout(() => (tk.hydrated = performance.now()), 0);
    }
  }, 10);
  let lastSync = "";
  new MutationObserver(() => {
    const node = document.querySelector(".sync-state");
    const text = node ? node.textContent : "";
    if (text !== lastSync) {
      lastSync = text;
      tk.sync.push([performance.now(), text]);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

interface Visit {
  usableMs: number | null;
  bytes: Record<Kind, number>;
  requests: number;
  fromCache: number;
  /** Font files that came over the network, as `name-slice (KiB)`. */
  fonts: string[];
  steps?: Record<string, number | null>;
  error?: string;
}

/** Bytes on the wire per resource type, from the page's CDP Network events. */
class Traffic {
  bytes: Record<Kind, number> = { font: 0, script: 0, document: 0, css: 0, other: 0 };
  requests = 0;
  fromCache = 0;
  fonts: string[] = [];
  private types = new Map<string, Kind>();
  private urls = new Map<string, string>();
  private open = new Set<string>();
  lastActivity = Date.now();

  constructor(cdp: CDPSession) {
    const kindOf = (type: string | undefined): Kind =>
      type === "Font" ? "font" : type === "Script" ? "script" : type === "Document" ? "document" : type === "Stylesheet" ? "css" : "other";
    cdp.on("Network.requestWillBeSent", (e) => {
      this.types.set(e.requestId, kindOf(e.type));
      this.open.add(e.requestId);
      this.requests++;
      this.lastActivity = Date.now();
    });
    cdp.on("Network.responseReceived", (e) => {
      this.types.set(e.requestId, kindOf(e.type));
      this.urls.set(e.requestId, e.response.url);
      if (e.response.fromDiskCache || e.response.fromServiceWorker || e.response.fromPrefetchCache) this.fromCache++;
    });
    const finish = (id: string, length: number) => {
      this.bytes[this.types.get(id) ?? "other"] += length;
      if (this.types.get(id) === "font" && length > 0) {
        const file = (this.urls.get(id) ?? "?")
          .split("/")
          .pop()!
          .replace(/-[A-Z0-9]{8}\.woff2?$/, "");
        this.fonts.push(`${file} (${(length / 1024).toFixed(0)})`);
      }
      this.open.delete(id);
      this.lastActivity = Date.now();
    };
    cdp.on("Network.loadingFinished", (e) => finish(e.requestId, e.encodedDataLength));
    cdp.on("Network.loadingFailed", (e) => finish(e.requestId, 0));
    cdp.on("Network.webSocketFrameReceived", (e) => {
      this.bytes.other += e.response.payloadData.length;
      this.lastActivity = Date.now();
    });
    cdp.on("Network.webSocketFrameSent", (e) => {
      this.lastActivity = Date.now();
      void e;
    });
  }

  async quiet(ms: number, maxMs: number) {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline && (this.open.size > 0 || Date.now() - this.lastActivity < ms)) await sleep(100);
  }
}

async function throttle(cdp: CDPSession, profile: Profile) {
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: profile.latency,
    downloadThroughput: profile.down,
    uploadThroughput: profile.up,
  });
}

/**
 * Service workers fetch on their own account: their requests are throttled through a CDP
 * session attached to each worker of the context, as DevTools does.
 */
async function throttleServiceWorkers(context: BrowserContext, profile: Profile) {
  const apply = async (worker: Worker) => {
    try {
      const cdp = await (context as unknown as { newCDPSession(target: unknown): Promise<CDPSession> }).newCDPSession(worker);
      await throttle(cdp, profile);
    } catch {
      // Not every Chromium lets a worker be attached to; the figures then say "(worker unthrottled)".
      unthrottledWorkers = true;
    }
  };
  for (const worker of context.serviceWorkers()) await apply(worker);
  context.on("serviceworker", (worker) => void apply(worker));
}
let unthrottledWorkers = false;

async function visit(context: BrowserContext, url: string, spec: PageSpec, profile: Profile, warm: boolean): Promise<Visit> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await throttle(cdp, profile);
  const traffic = new Traffic(cdp);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
    const hydrated = () =>
      page.waitForFunction(() => (window as unknown as { __tk: { hydrated: number | null } }).__tk.hydrated, null, {
        timeout: 120_000,
        polling: 50,
      });
    let usableMs: number;
    let steps: Visit["steps"];
    if (spec.kind === "editor") {
      const surface = page.locator(".editor-surface[contenteditable=true]");
      await surface.waitFor({ timeout: 120_000 });
      const editableAt = await page.evaluate(() => performance.now());
      await hydrated();
      // Type at the end of the first paragraph.
      await surface.locator("p").first().click();
      await page.keyboard.press("End");
      const typedAt = await page.evaluate(() => performance.now());
      await page.keyboard.insertText(warm ? "秋" : "雨");
      const ack = await page.waitForFunction(
        ([since, saved]) => {
          const sync = (window as unknown as { __tk: { sync: [number, string][] } }).__tk.sync;
          const after = sync.filter(([t]) => t >= since);
          const pending = after.findIndex(([, text]) => text !== saved);
          if (pending < 0) return null;
          const done = after.slice(pending).find(([, text]) => text === saved);
          return done ? done[0] : null;
        },
        [typedAt, "已保存"] as const,
        { timeout: 120_000, polling: 50 },
      );
      usableMs = (await ack.jsonValue()) as number;
      steps = await page.evaluate((editable) => {
        const tk = (
          window as unknown as {
            __tk: { hydrated: number | null; ws: { url: string; created: number; open: number | null; firstMessage: number | null }[] };
          }
        ).__tk;
        const paint = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null;
        const ws = tk.ws.find((s) => s.url.includes("/collab"));
        const scripts = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
          .filter((r) => r.name.endsWith(".js"))
          .map((r) => r.responseEnd);
        return {
          "plan shown (first paint)": paint,
          hydrated: tk.hydrated,
          "last script loaded": scripts.length ? Math.max(...scripts) : null,
          "WebSocket created": ws?.created ?? null,
          "WebSocket open": ws?.open ?? null,
          "first collab message": ws?.firstMessage ?? null,
          editable: editable,
        };
      }, editableAt);
      steps["typed character acknowledged"] = usableMs;
    } else {
      const ready =
        spec.kind === "classroom"
          ? page.locator('[data-testid="local-preview"][data-camera="on"]').waitFor({ timeout: 120_000 })
          : spec.key === "sign-in"
            ? page.locator('input[name="email"]').waitFor({ timeout: 120_000 })
            : page.locator("main h1").first().waitFor({ timeout: 120_000 });
      await ready;
      const h = (await (await hydrated()).jsonValue()) as number;
      if (spec.kind === "classroom") {
        await page.getByRole("button", { name: "加入课堂" }).waitFor({ timeout: 120_000 });
        // The preview is seen by polling: at most a few ms late.
        usableMs = Math.max(h, await page.evaluate(() => performance.now()));
      } else {
        // Server-rendered: the form or the heading is there from the first paint on.
        const paint = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0);
        usableMs = Math.max(h, paint);
      }
    }
    await traffic.quiet(1000, 30_000);
    if (errors.length)
      return {
        usableMs,
        bytes: traffic.bytes,
        requests: traffic.requests,
        fromCache: traffic.fromCache,
        fonts: traffic.fonts,
        steps,
        error: errors.join("; "),
      };
    return { usableMs, bytes: traffic.bytes, requests: traffic.requests, fromCache: traffic.fromCache, fonts: traffic.fonts, steps };
  } catch (error) {
    return {
      usableMs: null,
      bytes: traffic.bytes,
      requests: traffic.requests,
      fromCache: traffic.fromCache,
      fonts: traffic.fonts,
      error: (error as Error).message.split("\n")[0],
    };
  } finally {
    await cdp.detach().catch(() => {});
    await page.close();
  }
}

/** Once the first visit has registered a service worker, waits (≤ 60 s) until it is active. */
async function settleServiceWorker(context: BrowserContext, url: string) {
  const page = await context.newPage();
  try {
    await page.goto(`${url}/healthz`);
    await page.evaluate(async () => {
      if (!("serviceWorker" in navigator)) return;
      const registration = await navigator.serviceWorker.getRegistration("/");
      if (!registration) return;
      const deadline = Date.now() + 60_000;
      while (!registration.active && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    });
  } finally {
    await page.close();
  }
}

interface Row {
  profile: string;
  page: string;
  cold: Visit;
  warm: Visit;
}

async function measure(browser: Browser, server: Server, world: World, profile: Profile, spec: PageSpec): Promise<Row> {
  const runs: { cold: Visit; warm: Visit }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = spec.signedIn
      ? await signedInContext(browser, server.url, LEIWUQI_TEACHER, spec.lng)
      : await browser.newContext({ baseURL: server.url, locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    await context.addInitScript(PROBE);
    await context.grantPermissions(["camera", "microphone"]);
    await throttleServiceWorkers(context, profile);
    try {
      const url = `${server.url}${spec.path(world)}`;
      const cold = await visit(context, url, spec, profile, false);
      await settleServiceWorker(context, server.url);
      const warm = await visit(context, url, spec, profile, true);
      runs.push({ cold, warm });
    } finally {
      await context.close();
    }
  }
  // The median run by cold time.
  runs.sort((a, b) => (a.cold.usableMs ?? Infinity) - (b.cold.usableMs ?? Infinity));
  const median = runs[Math.floor((runs.length - 1) / 2)];
  return { profile: profile.key, page: spec.key, ...median };
}

// ---------------------------------------------------------------------------------------------
// Report

const s = (ms: number | null | undefined) => (ms == null ? "–" : (ms / 1000).toFixed(1));
const kib = (bytes: number) => (bytes / 1024).toFixed(0);
const total = (v: Visit) => KINDS.reduce((sum, k) => sum + v.bytes[k], 0);

function report(rows: Row[], before: Row[] | null) {
  const misses: string[] = [];
  for (const profile of PROFILES.filter((p) => rows.some((r) => r.profile === p.key))) {
    console.log(`\n### ${profile.label}\n`);
    console.log(
      "| page | cold usable (s) | cold KiB: total · font / script / document / css / other (requests) | warm usable (s) | warm KiB (requests, from cache) | target |",
    );
    console.log("|---|---:|---|---:|---|---|");
    for (const row of rows.filter((r) => r.profile === profile.key)) {
      const spec = PAGES.find((p) => p.key === row.page)!;
      const targets: string[] = [];
      if (profile.key === "leiwuqi") {
        if (spec.coldTarget != null) {
          targets.push(`cold ≤ ${spec.coldTarget} s`);
          if (row.cold.usableMs == null || row.cold.usableMs > spec.coldTarget * 1000)
            misses.push(`${profile.key} · ${spec.label}: cold usable ${s(row.cold.usableMs)} s > ${spec.coldTarget} s`);
        }
        if (spec.coldBytesTarget != null) {
          targets.push(`cold ≤ ${spec.coldBytesTarget} KiB`);
          if (total(row.cold) / 1024 > spec.coldBytesTarget)
            misses.push(`${profile.key} · ${spec.label}: cold ${kib(total(row.cold))} KiB > ${spec.coldBytesTarget} KiB`);
        }
        if (spec.warmTarget != null) {
          targets.push(`warm ≤ ${spec.warmTarget} s`);
          if (row.warm.usableMs == null || row.warm.usableMs > spec.warmTarget * 1000)
            misses.push(`${profile.key} · ${spec.label}: warm usable ${s(row.warm.usableMs)} s > ${spec.warmTarget} s`);
        }
      }
      const old = before?.find((r) => r.profile === row.profile && r.page === row.page);
      if (old) {
        const delta = (a: number | null, b: number | null) => (a == null || b == null ? "" : ` (was ${s(b)})`);
        row.cold = { ...row.cold, note: delta(row.cold.usableMs, old.cold.usableMs) } as Visit;
        row.warm = { ...row.warm, note: delta(row.warm.usableMs, old.warm.usableMs) } as Visit;
        if (profile.key === "good") {
          for (const phase of ["cold", "warm"] as const) {
            const now = row[phase].usableMs;
            const then = old[phase].usableMs;
            if (now != null && then != null && now > then * 1.1 + 100)
              misses.push(`good · ${spec.label}: ${phase} ${s(now)} s, was ${s(then)} s (regression)`);
          }
        }
      }
      const note = (v: Visit) => (v as Visit & { note?: string }).note ?? "";
      const cold = row.cold;
      const warm = row.warm;
      console.log(
        `| ${spec.label} | ${s(cold.usableMs)}${note(cold)}${cold.error ? " ⚠" : ""} | ${kib(total(cold))} · ${KINDS.map((k) => kib(cold.bytes[k])).join(" / ")} (${cold.requests}) | ${s(warm.usableMs)}${note(warm)}${warm.error ? " ⚠" : ""} | ${kib(total(warm))} (${warm.requests}, ${warm.fromCache}) | ${targets.join(", ") || "figures only"} |`,
      );
    }
    for (const row of rows.filter((r) => r.profile === profile.key && r.cold.steps)) {
      console.log(
        `\nEditor steps, ${profile.key} (ms from navigation start): cold — ${Object.entries(row.cold.steps!)
          .map(([k, v]) => `${k} ${v == null ? "–" : Math.round(v)}`)
          .join(", ")}`,
      );
      if (row.warm.steps)
        console.log(
          `  warm — ${Object.entries(row.warm.steps)
            .map(([k, v]) => `${k} ${v == null ? "–" : Math.round(v)}`)
            .join(", ")}`,
        );
    }
    const withFonts = rows.filter((r) => r.profile === profile.key && r.cold.fonts.length);
    if (withFonts.length)
      console.log(`\nFont files fetched cold (KiB): ${withFonts.map((r) => `${r.page}: ${r.cold.fonts.join(", ")}`).join("; ")}`);
    for (const row of rows.filter((r) => r.profile === profile.key)) {
      for (const [phase, v] of [
        ["cold", row.cold],
        ["warm", row.warm],
      ] as const)
        if (v.error) console.log(`⚠ ${row.page} ${phase}: ${v.error}`);
    }
  }
  if (unthrottledWorkers) console.log("\nNote: a service worker could not be throttled; its own fetches ran at full speed.");
  console.log(misses.length ? `\nMisses (${misses.length}):\n${misses.map((m) => `- ${m}`).join("\n")}` : "\nNo misses.");
}

/** What the figures depend on most: whether the page can draw from the device's fonts. */
function deviceFonts(): string {
  if (DEVICE_FONTS === "none") return "none (DejaVu only: every CJK and Tibetan glyph comes from the web fonts)";
  const families = (spawnSync("fc-list", [":", "family"], { encoding: "utf8" }).stdout ?? "")
    .split("\n")
    .flatMap((line) => line.split(","));
  const has = (names: string[]) => names.filter((name) => families.includes(name)).join(", ") || "none";
  const cjk = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"];
  const tibetan = ["Noto Serif Tibetan", "Noto Sans Tibetan", "Jomolhari", "Kailasa", "Microsoft Himalaya"];
  return `CJK ${has(cjk)}; Tibetan ${has(tibetan)}`;
}

function browserEnv(): Record<string, string> | undefined {
  if (DEVICE_FONTS !== "none") return undefined;
  fs.mkdirSync(".tmp", { recursive: true });
  const dir = fs.mkdtempSync(path.resolve(".tmp", "weak-link-fonts-"));
  const conf = path.join(dir, "fonts.conf");
  fs.writeFileSync(
    conf,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>${dir}/cache</cachedir></fontconfig>\n`,
  );
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return { ...(process.env as Record<string, string>), FONTCONFIG_FILE: conf };
}

async function main() {
  if (!fs.existsSync(SERVER)) throw new Error(`No ${SERVER}: run \`npm run build\` first`);
  // The browser first: a server started before a launch that fails would keep the process alive.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    env: browserEnv(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
    ],
  });
  let server: Server | null = null;
  try {
    server = await startServer();
    const world = await makeWorld(browser, server.url);
    const rows: Row[] = [];
    for (const profile of PROFILES.filter((p) => !wantedProfiles || wantedProfiles.includes(p.key))) {
      for (const spec of PAGES.filter((p) => !wantedPages || wantedPages.includes(p.key))) {
        const row = await measure(browser, server, world, profile, spec);
        rows.push(row);
        process.stderr.write(
          `${profile.key} ${spec.key}: cold ${s(row.cold.usableMs)} s ${kib(total(row.cold))} KiB, warm ${s(row.warm.usableMs)} s ${kib(total(row.warm))} KiB\n`,
        );
      }
    }
    if (JSON_OUT) {
      fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
      fs.writeFileSync(JSON_OUT, JSON.stringify(rows, null, 2));
    }
    const before = COMPARE && fs.existsSync(COMPARE) ? (JSON.parse(fs.readFileSync(COMPARE, "utf8")) as Row[]) : null;
    console.log(`\nDevice fonts: ${deviceFonts()}.`);
    report(rows, before);
  } finally {
    await browser.close();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

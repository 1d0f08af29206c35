/**
 * The IPC side of a benchmark server process (forked with --expose-gc): sets the server up
 * when asked, reports its RSS on request, checks what was stored, stops.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { now, send, type BenchDocument, type ServerReply, type ServerRequest } from "./protocol";

export interface BenchServer {
  url: string;
  documents: BenchDocument[];
  /** A document of its own for the warm-up client. */
  warmup: BenchDocument;
  stop(): Promise<void>;
  /** After a flush, how many of the expected edits per document the database holds. */
  stored?(expected: Record<string, number>): Promise<{ found: number; missing: number }>;
}

const reply = (message: ServerReply) => send(message);

/**
 * Full collections until RSS stops moving (within 128 KB over 250 ms, at most ~3 s): the
 * collector hands pages back to the system lazily, which would otherwise show up as
 * memory "freed" by the connections measured next.
 */
async function settle() {
  const gc = (globalThis as { gc?: () => void }).gc;
  let previous = Infinity;
  for (let i = 0; i < 12; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const rss = process.memoryUsage().rss;
    if (Math.abs(rss - previous) < 128 * 1024) return;
    previous = rss;
  }
}

/** How late the event loop runs timers: what every message waits on top of its own work. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

export function serve(setup: (documents: number, clientsPerDocument: number) => Promise<BenchServer>) {
  let server: BenchServer | undefined;
  process.on("message", (message: ServerRequest) => {
    void (async () => {
      try {
        if (message.type === "setup") {
          const started = performance.now();
          server = await setup(message.documents, message.clientsPerDocument);
          reply({
            type: "ready",
            url: server.url,
            documents: server.documents,
            warmup: server.warmup,
            setupMs: performance.now() - started,
          });
        } else if (message.type === "usage") {
          if (message.gc) await settle();
          const memory = process.memoryUsage();
          const cpu = process.cpuUsage();
          reply({
            type: "usage",
            rss: memory.rss,
            heapUsed: memory.heapUsed,
            cpuMs: (cpu.user + cpu.system) / 1000,
            at: now(),
            loopDelayP99: loopDelay.percentile(99) / 1e6,
            loopDelayMax: loopDelay.max / 1e6,
          });
          if (message.reset) loopDelay.reset();
        } else if (message.type === "stored") {
          const started = performance.now();
          const result = (await server?.stored?.(message.expected)) ?? { found: 0, missing: 0 };
          reply({ type: "stored", ...result, ms: performance.now() - started });
        } else if (message.type === "stop") {
          await server?.stop().catch((error: unknown) => console.warn("bench server: stopping", error));
          process.exit(0);
        }
      } catch (error) {
        reply({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
  process.on("disconnect", () => process.exit(0));
}

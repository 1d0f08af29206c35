/**
 * Benchmark clients for `npm run bench:collab`: several real Hocuspocus providers (each with
 * its own WebSocket, as separate browser tabs would have) in one process, apart from the
 * server's. Each types at its own jittered pace and records, for every edit of another
 * client that reaches it, how long it took (the send time travels inside the edit).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import {
  EDIT_WORD,
  PLAN_FRAGMENT,
  Typist,
  now,
  send,
  type ClientReply,
  type ClientRequest,
  type ClientSpec,
  type EditPlan,
} from "./protocol";

interface BenchClient {
  spec: ClientSpec;
  socket: HocuspocusProviderWebsocket;
  provider: HocuspocusProvider;
  typist: Typist;
  /** Keys of the edits this client has (its own included). */
  edits: Set<string>;
  /** When each of its measured edits not yet acknowledged was made, oldest first. */
  unacked: number[];
}

const reply = (message: ClientReply) => send(message);
const clients: BenchClient[] = [];
const latencies: number[] = [];
const acks: number[] = [];
let negative = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function open(url: string, spec: ClientSpec, record = true): BenchClient {
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket as never });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: spec.document, token: spec.token });
  provider.attach();
  // What the editor's caret extension shares once: a name and a colour.
  provider.awareness?.setLocalStateField("user", { name: `教师 ${spec.id}`, color: "#1d4ed8" });
  const edits = new Set<string>();
  provider.document.getXmlFragment(PLAN_FRAGMENT).observeDeep((events, transaction) => {
    const at = now();
    const seen = (text: string) => {
      for (const [, key, sentAt] of text.matchAll(EDIT_WORD)) {
        if (edits.has(key)) continue;
        edits.add(key);
        if (transaction.local || !record) continue;
        const latency = at - Number(sentAt);
        if (latency < 0) negative++;
        latencies.push(Math.max(0, latency));
      }
    };
    for (const event of events) {
      if (event.target instanceof Y.XmlText) {
        for (const op of event.delta) if (typeof op.insert === "string") seen(op.insert);
      } else {
        // A new paragraph arrives whole, its first word inside.
        for (const item of event.changes.added) for (const content of item.content.getContent()) seen(String(content));
      }
    }
  });
  const client = { spec, socket, provider, typist: new Typist(provider.document, spec.id), edits, unacked: [] as number[] };
  // The server acknowledges a provider's updates in order: each acknowledgement is the oldest
  // edit still waiting for one.
  let waiting = 0;
  provider.on("unsyncedChanges", ({ number }: { number: number }) => {
    for (let acked = waiting - number; acked > 0 && client.unacked.length > 0; acked--) acks.push(now() - client.unacked.shift()!);
    waiting = number;
  });
  return client;
}

async function connect(url: string, specs: ClientSpec[]) {
  const started = performance.now();
  for (const spec of specs) clients.push(open(url, spec));
  const deadline = Date.now() + 120_000;
  while (!clients.every((c) => c.provider.isSynced)) {
    if (Date.now() > deadline) throw new Error(`${clients.filter((c) => !c.provider.isSynced).length} clients never synced`);
    await sleep(20);
  }
  return performance.now() - started;
}

/** Loads the server's code paths (and, for tongke, a first store) before anything is measured. */
async function warmup(url: string, spec: ClientSpec, edits: number) {
  const client = open(url, spec, false);
  const deadline = Date.now() + 60_000;
  const until = async (done: () => boolean) => {
    while (!done()) {
      if (Date.now() > deadline) throw new Error("the warm-up client never synced");
      await sleep(20);
    }
  };
  await until(() => client.provider.isSynced);
  for (let i = 0; i < edits; i++) {
    client.typist.edit();
    await sleep(20);
  }
  await until(() => client.provider.unsyncedChanges === 0);
  client.provider.destroy();
  client.socket.destroy();
}

async function type(client: BenchClient, plan: EditPlan) {
  const end = plan.startAt + plan.durationMs;
  const pause = () => plan.minIntervalMs + Math.random() * (plan.maxIntervalMs - plan.minIntervalMs);
  // Everyone starts somewhere within their first interval, not in lockstep.
  await sleep(Math.max(0, plan.startAt - now()) + Math.random() * plan.maxIntervalMs);
  while (now() < end) {
    client.unacked.push(now());
    client.typist.edit();
    await sleep(pause());
  }
}

async function expect(expected: Record<string, Record<number, number>>, timeoutMs: number) {
  const started = performance.now();
  const wanted = clients.map((client) => {
    const keys: string[] = [];
    for (const [id, count] of Object.entries(expected[client.spec.document] ?? {})) {
      if (Number(id) === client.spec.id) continue;
      for (let seq = 0; seq < count; seq++) keys.push(`${id}:${seq}`);
    }
    return { client, keys };
  });
  const missingOf = () => wanted.reduce((sum, { client, keys }) => sum + keys.filter((k) => !client.edits.has(k)).length, 0);
  const deadline = Date.now() + timeoutMs;
  while (missingOf() > 0 && Date.now() < deadline) await sleep(50);
  return {
    missing: missingOf(),
    expected: wanted.reduce((sum, { keys }) => sum + keys.length, 0),
    drainMs: performance.now() - started,
  };
}

process.on("message", (message: ClientRequest) => {
  void (async () => {
    try {
      if (message.type === "warmup") {
        await warmup(message.url, message.client, message.edits);
        reply({ type: "warmed" });
      } else if (message.type === "connect") {
        reply({ type: "synced", ms: await connect(message.url, message.clients) });
      } else if (message.type === "edit") {
        const cpu = process.cpuUsage();
        await Promise.all(clients.map((client) => type(client, message.plan)));
        const used = process.cpuUsage(cpu);
        reply({
          type: "sent",
          counts: Object.fromEntries(clients.map((c) => [c.spec.id, c.typist.seq])),
          cpuMs: (used.user + used.system) / 1000,
        });
      } else if (message.type === "expect") {
        const result = await expect(message.expected, message.timeoutMs);
        reply({ type: "received", latencies, acks, negative, ...result });
      } else if (message.type === "close") {
        for (const client of clients) {
          client.provider.destroy();
          client.socket.destroy();
        }
        process.exit(0);
      }
    } catch (error) {
      reply({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
process.on("disconnect", () => process.exit(0));

/**
 * The production server and signed-in HTTP clients, for the benches that load it
 * (`npm run bench:soak`, `npm run bench:scale -- --http`).
 */
import { spawn, type ChildProcess } from "node:child_process";

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

export interface ProductionServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `node <server>` (default build/server.js; run `npm run build` first) in production
 * mode on a free loopback port with `env` added (DATA_DIR or DATABASE_URL: where its data is),
 * and resolves once it says "ready" (the server says so once its database is open). Production needs a LiveKit key pair and a cookie secret of
 * its own; the bench's are set here (no LiveKit server answers anyway).
 */
export async function startProductionServer(options: {
  env: Record<string, string>;
  server?: string;
  nodeOptions?: string[];
  cleanUp?: () => Promise<void> | void;
  /** How long to wait for "ready" (default 120 s). */
  timeoutMs?: number;
}): Promise<ProductionServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    LIVEKIT_API_KEY: "APIbench",
    LIVEKIT_API_SECRET: "bench-livekit-secret-0123456789abcdef",
    COOKIE_SECRET: "bench-cookie-secret-0123456789",
  };
  delete env.DATABASE_URL;
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), options.server ?? "build/server.js"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    await options.cleanUp?.();
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    const match = /ready at http:\/\/localhost:(\d+)/.exec(output);
    if (match) return { child, url: `http://127.0.0.1:${match[1]}`, output: () => output, stop };
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  await stop();
  throw new Error(`The server did not start:\n${output}`);
}

/** A cookie jar per persona, shared by the clients that act as that persona. */
export class Jar {
  private cookies = new Map<string, string>();
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** Signs in through POST /login, as a person would. */
export async function signIn(url: string, email: string, password: string): Promise<Jar> {
  const jar = new Jar();
  const response = await fetch(`${url}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password, redirectTo: "" }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  if (response.status < 300 || response.status >= 400) throw new Error(`Signing in as ${email} answered ${response.status}`);
  jar.take(response);
  if (!jar.header().includes("auth-token")) throw new Error(`Signing in as ${email} set no session cookie`);
  return jar;
}

export async function get(url: string, jar: Jar | undefined): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { headers: jar ? { cookie: jar.header() } : {}, redirect: "manual" });
  const body = await response.text();
  jar?.take(response);
  return { status: response.status, body };
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const LOCK_FILE = "tongke.lock";

interface Holder {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** Another instance holds the data folder; the message names the folder and that instance. */
export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

/**
 * One instance per data folder: the embedded database lives in one process's memory, so a
 * second instance on the same DATA_DIR would see only its own writes and lose them.
 * `<DATA_DIR>/tongke.lock` holds the owner's pid; a lock whose process is gone (killed,
 * crashed) is taken over at once, so a restart after a crash is never blocked. Released on
 * exit. A pid lock rather than an mtime-refreshed one (proper-lockfile): a dead owner is
 * known at once instead of after a staleness period, and the refusal can name the owner.
 */
export function lockDataDir(dataDir: string, options: { pid?: number; isAlive?: (pid: number) => boolean } = {}): { release(): void } {
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processIsAlive;
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  fs.mkdirSync(dir, { recursive: true });
  const mine: Holder = { pid, hostname: os.hostname(), startedAt: new Date().toISOString() };

  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 100) throw error;
    }
    const text = readOrEmpty(file);
    const holder = parseHolder(text);
    if (!holder && ageMs(file) < 2000) {
      // Just created by a start still writing it.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      continue;
    }
    if (holder && (holder.hostname !== mine.hostname || isAlive(holder.pid))) {
      const where = holder.hostname === mine.hostname ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.hostname}`;
      throw new DataDirInUseError(
        `Another Tongke instance is using the data folder ${dir} (${where}, started ${holder.startedAt}). ` +
          `Stop it first, or give this instance its own DATA_DIR; two instances on one folder lose each other's writes. ` +
          `If that instance is certainly gone, delete ${file}.`,
      );
    }
    takeOverStale(file, text, pid);
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // Only our own lock: never one a later instance took over.
    if (parseHolder(readOrEmpty(file))?.pid === pid) fs.rmSync(file, { force: true });
  };
  process.on("exit", release);
  return { release };
}

/**
 * Removes a stale lock — the exact one examined: it is first renamed aside, and put back if a
 * concurrent start replaced it with a live lock in the meantime.
 */
function takeOverStale(file: string, examined: string, pid: number) {
  const aside = `${file}.stale-${pid}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (readOrEmpty(aside) !== examined) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // A third start created the lock meanwhile; the loop reads whichever is there.
    }
  }
  fs.rmSync(aside, { force: true });
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    return typeof value.pid === "number" && typeof value.hostname === "string" ? (value as Holder) : undefined;
  } catch {
    // Unreadable (a crash while writing it): nobody can be shown to hold it.
    return undefined;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, owned by another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

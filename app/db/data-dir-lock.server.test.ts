import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirInUseError, lockDataDir } from "./data-dir-lock.server";

const dirs: string[] = [];
const dataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tongke-lock-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** The pid of a process that has exited: what a killed instance leaves in its lock. */
const deadPid = () => spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid!;

describe("lockDataDir", () => {
  it("refuses a second instance on the folder, naming the folder and the running instance", () => {
    const dir = dataDir();
    const first = lockDataDir(dir);
    const second = () => lockDataDir(dir, { pid: process.pid + 1 });
    expect(second).toThrow(DataDirInUseError);
    expect(second).toThrow(`Another Tongke instance is using the data folder ${dir} (process ${process.pid}, started `);
    first.release();
    expect(fs.existsSync(path.join(dir, "tongke.lock"))).toBe(false);
    lockDataDir(dir, { pid: process.pid + 1 }).release();
  });

  it("takes over the lock of a killed instance at once", () => {
    const dir = dataDir();
    const pid = deadPid();
    lockDataDir(dir, { pid, isAlive: () => true }); // never released: the process "was killed"
    const restarted = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "tongke.lock"), "utf8"))).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    restarted.release();
  });

  it("takes over an unreadable lock once it is not being written any more", () => {
    const dir = dataDir();
    const file = path.join(dir, "tongke.lock");
    fs.writeFileSync(file, "");
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(file, old, old);
    lockDataDir(dir).release();
  });

  it("refuses a lock held from another machine (a shared folder) whatever its pid", () => {
    const dir = dataDir();
    fs.writeFileSync(
      path.join(dir, "tongke.lock"),
      JSON.stringify({ pid: deadPid(), hostname: "other-host", startedAt: "2026-12-07T00:00:00Z" }),
    );
    expect(() => lockDataDir(dir)).toThrow(/process \d+ on other-host/);
  });

  it("releases only its own lock, never one a later instance took over", () => {
    const dir = dataDir();
    const stale = lockDataDir(dir, { pid: deadPid() });
    const current = lockDataDir(dir);
    stale.release();
    expect(JSON.parse(fs.readFileSync(path.join(dir, "tongke.lock"), "utf8")).pid).toBe(process.pid);
    current.release();
  });
});

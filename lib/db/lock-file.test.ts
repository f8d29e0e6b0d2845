import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLockFile, DatabaseLockedError } from "./lock-file";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-lock-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Tries to take the lock from a separate Node process, as a second server or the CLI would. */
function acquireFromAnotherProcess(lockPath: string): { status: number | null; output: string } {
  const script = `
    import { acquireLockFile } from ${JSON.stringify(path.resolve(import.meta.dirname, "lock-file.ts"))};
    try { acquireLockFile(${JSON.stringify(lockPath)}); console.log("ACQUIRED"); }
    catch (e) { console.log(e.name + ": " + e.message); process.exit(3); }`;
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("the embedded database lock file", () => {
  it("lets exactly one process hold the embedded database", () => {
    const lockPath = path.join(dir, "pglite.lock");
    const lock = acquireLockFile(lockPath);
    const other = acquireFromAnotherProcess(lockPath);
    expect(other.status).toBe(3);
    expect(other.output).toContain(`DatabaseLockedError: the embedded database is in use by process ${process.pid}`);
    lock.release();
    expect(fs.existsSync(lockPath)).toBe(false);
    expect(acquireFromAnotherProcess(lockPath).output).toContain("ACQUIRED");
  });

  it("takes over a lock left by a process that no longer exists", () => {
    const lockPath = path.join(dir, "pglite.lock");
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    fs.writeFileSync(lockPath, JSON.stringify({ pid: dead, hostname: os.hostname(), startedAt: "2026-01-01T00:00:00Z" }));
    const lock = acquireLockFile(lockPath);
    expect(JSON.parse(fs.readFileSync(lockPath, "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("treats a garbled lock file as stale", () => {
    const lockPath = path.join(dir, "pglite.lock");
    fs.writeFileSync(lockPath, "{half-writ");
    expect(() => acquireLockFile(lockPath).release()).not.toThrow();
  });

  it("names the owner in the error", () => {
    const lockPath = path.join(dir, "pglite.lock");
    fs.writeFileSync(lockPath, JSON.stringify({ pid: 1, hostname: "elsewhere", startedAt: "2026-01-01T00:00:00Z" }));
    expect(() => acquireLockFile(lockPath)).toThrow(DatabaseLockedError);
    expect(() => acquireLockFile(lockPath)).toThrow(/in use by process 1 \(since 2026-01-01T00:00:00Z/);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

type LockOwner = { pid: number; hostname: string; startedAt: string };

/** Thrown when another live process owns the embedded database. */
export class DatabaseLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly owner: LockOwner,
  ) {
    super(
      `the embedded database is in use by process ${owner.pid} (since ${owner.startedAt}; lock ${lockPath}). ` +
        "PGlite allows one process only: stop that process, or run CLI commands against the running server.",
    );
    this.name = "DatabaseLockedError";
  }
}

/**
 * An exclusive lock file beside the PGlite directory. PGlite has no inter-process locking, and a
 * second process opening the same directory (PGlite is PostgreSQL in single-user mode: nothing
 * arbitrates between two of them) loses writes and then corrupts it, so
 * every opener must hold this first. A lock left by a crashed process is taken over.
 */
export function acquireLockFile(lockPath: string): { release: () => void } {
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(me), { flag: "wx", mode: 0o600 });
      return { release: () => releaseLockFile(lockPath) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(lockPath);
      if (owner && owner.pid === process.pid) return { release: () => releaseLockFile(lockPath) };
      if (owner && isAlive(owner)) throw new DatabaseLockedError(lockPath, owner);
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock file ${lockPath}: another process keeps recreating it`);
}

/** The live process (not this one) holding the lock, if any: a read-only check, it takes nothing. */
export function lockHolder(lockPath: string): LockOwner | null {
  const owner = readOwner(lockPath);
  return owner && owner.pid !== process.pid && isAlive(owner) ? owner : null;
}

function releaseLockFile(lockPath: string): void {
  const owner = readOwner(lockPath);
  if (owner?.pid === process.pid) fs.rmSync(lockPath, { force: true });
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, "utf8")) as Partial<LockOwner>;
    return typeof parsed.pid === "number" ? (parsed as LockOwner) : null;
  } catch {
    return null; // unreadable or half-written: treat as stale
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== os.hostname()) return true; // cannot check a process on another host
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process whose parent died too stays a zombie where PID 1 does not reap (containers):
  // it holds nothing any more. Found by kill -9 of the server in tests/integration/crash-bulk-reissue.
  if (isZombie(owner.pid)) return false;
  // A recycled pid (containers restart at low pids) is alive but is not us: only node holds the
  // lock. Check the executable, not the command line: next-server rewrites its process title.
  try {
    return path.basename(fs.readlinkSync(`/proc/${owner.pid}/exe`)).startsWith("node");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ENOENT"; // gone meanwhile; EACCES: cannot tell, assume alive
  }
}

function isZombie(pid: number): boolean {
  try {
    // "pid (comm) S …": the state letter follows the last ")" (comm may contain spaces or parentheses).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

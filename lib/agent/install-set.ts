import fs from "node:fs";
import { LIVE_FILES, livePath, type AgentConfig, type FileRole } from "./config";
import { idsOf } from "./run-as";
import type { FileSet } from "./validate-set";

const NEW = ".cluster-tls-new";
const PREVIOUS = ".cluster-tls-prev";
// PostgreSQL refuses a key readable by group or others (unless owned by root, 0640).
const MODES: Record<FileRole, number> = { certificate: 0o644, key: 0o600, root: 0o644, crl: 0o644 };

const readLive = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null);

/** The live files as they are now (null where one is missing). */
export function readLiveSet(config: AgentConfig): Record<FileRole, string | null> {
  return Object.fromEntries((Object.keys(LIVE_FILES) as FileRole[]).map((role) => [role, readLive(livePath(config, role))])) as Record<
    FileRole,
    string | null
  >;
}

/**
 * Writes each changed file beside its live one (same directory, so the swap is a rename on one
 * filesystem), with the owner and mode the server needs. Returns the roles that changed.
 */
export function stageSet(config: AgentConfig, set: FileSet): FileRole[] {
  const live = readLiveSet(config);
  const ids = idsOf(config.owner);
  const changed = (Object.keys(LIVE_FILES) as FileRole[]).filter((role) => live[role] !== set[role]);
  for (const role of changed) {
    const staged = livePath(config, role) + NEW;
    fs.rmSync(staged, { force: true });
    fs.writeFileSync(staged, set[role], { mode: MODES[role] });
    fs.chmodSync(staged, MODES[role]);
    if (ids) fs.chownSync(staged, ids.uid, ids.gid);
  }
  return changed;
}

/**
 * Swaps the staged files in. The live file is first hard-linked as the previous set, then the new
 * one renamed over it: rename(2) replaces atomically, so the server never sees a missing file.
 */
export function swapIn(config: AgentConfig, roles: FileRole[]): void {
  for (const role of roles) {
    const live = livePath(config, role);
    fs.rmSync(live + PREVIOUS, { force: true });
    if (fs.existsSync(live)) fs.linkSync(live, live + PREVIOUS);
    fs.renameSync(live + NEW, live);
  }
}

/** Puts the previous set back (after a reload that did not take). */
export function rollBack(config: AgentConfig, roles: FileRole[]): void {
  for (const role of roles) {
    const live = livePath(config, role);
    if (fs.existsSync(live + PREVIOUS)) fs.renameSync(live + PREVIOUS, live);
  }
}

/** Removes staged files a failed validation or a crash left behind. */
export function clearStaged(config: AgentConfig): void {
  for (const role of Object.keys(LIVE_FILES) as FileRole[]) fs.rmSync(livePath(config, role) + NEW, { force: true });
}

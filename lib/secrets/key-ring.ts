import fs from "node:fs";
import { ConfigError } from "@/lib/config/errors";
import { createKeyFile, keyFilesOf, readKeyFile, readNextKeyFile } from "./key-files";
import { parseMasterKey, type MasterKey } from "./master-key";

export type KeyRing = {
  /** Encrypts new secrets. */
  current: MasterKey;
  /**
   * Every key that may decrypt (current first). A rotation changes this array in place (see
   * beginKeyRotation), so callers may pass `keyRing.all` along and read rows after awaiting.
   */
  all: MasterKey[];
  source: string;
};

/** How far a rotation to a key got: the process that rotates records both in the audit log (read-key-rotations). */
export type KeyRotationState = "started" | "finished";

/**
 * How often a running server looks for a new master.key.next and reads how far the rotation to it
 * got (lib/runtime/watch-master-keys.ts). A rotation waits for a few of these before it ends, so
 * that every server has switched its writes to the new key (rotate-master-key).
 */
export const KEY_WATCH_INTERVAL_MS = 1_000;

/** How long a write that encrypted under a key may take to commit: a switch is settled after it. */
export const WRITE_IN_FLIGHT_MS = 1_000;

type LoadKeyRingParams = {
  dataDir: string;
  envKeyBase64: string | null;
  /** Key id found on data already in the database, or null when nothing is encrypted yet. */
  keyIdInUse: string | null;
  /**
   * Rotations the audit log records, by the id of the key they rotate to; "finished" only while
   * nothing is stored under another key (bootstrap's findKeyRotations).
   */
  rotations?: ReadonlyMap<string, KeyRotationState>;
};

/**
 * Loads the master key from CLUSTER_TLS_MASTER_KEY or `<dataDir>/master.key`, creating the file
 * (0600) only when the database holds no encrypted data yet. A key that does not match the data
 * is a start-up error: silently generating a fresh key would make every stored key unreadable.
 *
 * A `master.key.next` beside it is the key a rotation moves to: renamed over master.key when that
 * rotation finished, otherwise kept and loaded as an extra key that decrypts (prepared, or a
 * rotation that stopped half-way: its swept rows are under it), and that encrypts once the
 * rotation has started. It is never deleted: it may be the only copy of a key rows are under.
 */
export function loadKeyRing({ dataDir, envKeyBase64, keyIdInUse, rotations = new Map() }: LoadKeyRingParams): KeyRing {
  const files = keyFilesOf(dataDir);
  let next = readNextKeyFile(dataDir);
  const state = next ? rotations.get(next.id) : undefined;
  if (state === "finished") {
    fs.renameSync(files.next, files.current);
    next = null;
  }
  let current: MasterKey;
  let source: string;

  if (envKeyBase64) {
    current = parseMasterKey(envKeyBase64, "CLUSTER_TLS_MASTER_KEY");
    source = "CLUSTER_TLS_MASTER_KEY";
  } else if (fs.existsSync(files.current)) {
    current = parseMasterKey(readKeyFile(files.current), files.current);
    source = files.current;
  } else if (keyIdInUse) {
    throw new ConfigError(
      `master key missing: ${files.current} does not exist and CLUSTER_TLS_MASTER_KEY is unset, ` +
        `but the database holds keys encrypted under master key ${keyIdInUse}; restore that key`,
    );
  } else {
    current = createKeyFile(files.current);
    source = files.current;
  }

  const keyRing: KeyRing = { current, all: [current], source };
  if (next && adoptKey(keyRing, next) && state === "started") {
    beginKeyRotation(keyRing, next);
    if (source !== "CLUSTER_TLS_MASTER_KEY") keyRing.source = files.next;
  }
  if (keyIdInUse && !keyRing.all.some((key) => key.id === keyIdInUse)) {
    throw new ConfigError(`wrong master key: ${source} has id ${current.id} but the database was encrypted under ${keyIdInUse}`);
  }
  return keyRing;
}

/** Adds a key that decrypts but does not encrypt (a prepared master.key.next); false if the ring has it. */
export function adoptKey(keyRing: KeyRing, key: MasterKey): boolean {
  if (keyRing.all.some((known) => known.id === key.id)) return false;
  keyRing.all.push(key);
  return true;
}

/**
 * Switches a running process to `next` for new secrets while its other keys still decrypt;
 * returns those other keys. The array is changed in place, not replaced: a request that took
 * `keyRing.all` a moment before (loadClusterIssuer(db, clusterId, keyRing.all)) and then reads a
 * row the sweep has just re-encrypted must find `next` in it, or the issuance fails.
 */
export function beginKeyRotation(keyRing: KeyRing, next: MasterKey): MasterKey[] {
  const at = keyRing.all.findIndex((key) => key.id === next.id);
  if (at >= 0) keyRing.all.splice(at, 1);
  const previous = [...keyRing.all];
  keyRing.current = next;
  keyRing.all.unshift(next);
  return previous;
}

/** Once nothing is stored under the other keys: they open nothing, also for whoever holds the array. */
export function finishKeyRotation(keyRing: KeyRing): void {
  keyRing.all.splice(0, keyRing.all.length, keyRing.current);
}

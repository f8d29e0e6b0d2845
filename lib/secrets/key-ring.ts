import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ConfigError } from "@/lib/config/errors";
import { MASTER_KEY_BYTES, parseMasterKey, type MasterKey } from "./master-key";

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

type LoadKeyRingParams = {
  dataDir: string;
  envKeyBase64: string | null;
  /** Key id found on data already in the database, or null when nothing is encrypted yet. */
  keyIdInUse: string | null;
};

/**
 * Loads the master key from CLUSTER_TLS_MASTER_KEY or `<dataDir>/master.key`, creating the file
 * (0600) only when the database holds no encrypted data yet. A key that does not match the data
 * is a start-up error: silently generating a fresh key would make every stored key unreadable.
 */
export function loadKeyRing({ dataDir, envKeyBase64, keyIdInUse }: LoadKeyRingParams): KeyRing {
  const keyFile = path.join(dataDir, "master.key");
  promoteRotatedKey(keyFile, keyIdInUse);
  let current: MasterKey;
  let source: string;

  if (envKeyBase64) {
    current = parseMasterKey(envKeyBase64, "CLUSTER_TLS_MASTER_KEY");
    source = "CLUSTER_TLS_MASTER_KEY";
  } else if (fs.existsSync(keyFile)) {
    current = parseMasterKey(readKeyFile(keyFile), keyFile);
    source = keyFile;
  } else if (keyIdInUse) {
    throw new ConfigError(
      `master key missing: ${keyFile} does not exist and CLUSTER_TLS_MASTER_KEY is unset, ` +
        `but the database holds keys encrypted under master key ${keyIdInUse}; restore that key`,
    );
  } else {
    current = createKeyFile(keyFile);
    source = keyFile;
  }

  if (keyIdInUse && keyIdInUse !== current.id) {
    throw new ConfigError(
      `wrong master key: ${source} has id ${current.id} but the database was encrypted under ${keyIdInUse}`,
    );
  }
  return { current, all: [current], source };
}

function readKeyFile(keyFile: string): string {
  try {
    return fs.readFileSync(keyFile, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function createKeyFile(keyFile: string): MasterKey {
  const base64 = randomBytes(MASTER_KEY_BYTES).toString("base64");
  try {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    // "wx": never overwrite a key another process wrote a moment ago.
    fs.writeFileSync(keyFile, `${base64}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return parseMasterKey(readKeyFile(keyFile), keyFile);
    throw new ConfigError(`cannot create ${keyFile} (${code ?? String(error)}); is the data directory writable?`);
  }
  return parseMasterKey(base64, keyFile);
}

/** Where `master-key rotate` writes the new key before re-encrypting (see rotate-master-key). */
export function nextKeyFile(keyFile: string): string {
  return `${keyFile}.next`;
}

/**
 * A rotation that committed in the database but crashed before renaming master.key.next over
 * master.key leaves the data under the new key: finish the rename. One left from a rotation
 * that did not commit is stale and removed.
 */
function promoteRotatedKey(keyFile: string, keyIdInUse: string | null): void {
  const next = nextKeyFile(keyFile);
  if (!fs.existsSync(next)) return;
  const nextKey = parseMasterKey(readKeyFile(next), next);
  if (keyIdInUse === nextKey.id) fs.renameSync(next, keyFile);
  else fs.rmSync(next, { force: true });
}

/** Writes a new key as master.key.next (0600); `commitKeyFile` renames it over master.key. */
export function writeNextKeyFile(dataDir: string): MasterKey {
  const file = nextKeyFile(path.join(dataDir, "master.key"));
  const base64 = randomBytes(MASTER_KEY_BYTES).toString("base64");
  fs.writeFileSync(file, `${base64}\n`, { mode: 0o600 });
  return parseMasterKey(base64, file);
}

export function commitKeyFile(dataDir: string): void {
  const keyFile = path.join(dataDir, "master.key");
  fs.renameSync(nextKeyFile(keyFile), keyFile); // atomic on one filesystem
}

/**
 * Switches a running process to `next` for new secrets while its other keys still decrypt;
 * returns the keys that were in use. The array is changed in place, not replaced: a request that
 * took `keyRing.all` a moment before (loadClusterIssuer(db, clusterId, keyRing.all)) and then reads
 * a row the sweep has just re-encrypted must find `next` in it, or the issuance fails.
 */
export function beginKeyRotation(keyRing: KeyRing, next: MasterKey): MasterKey[] {
  const previous = [...keyRing.all];
  keyRing.current = next;
  keyRing.all.unshift(next);
  return previous;
}

/** Once nothing is stored under the other keys: they open nothing, also for whoever holds the array. */
export function finishKeyRotation(keyRing: KeyRing): void {
  keyRing.all.splice(0, keyRing.all.length, keyRing.current);
}

import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ConfigError } from "@/lib/config/errors";
import { MASTER_KEY_BYTES, parseMasterKey, type MasterKey } from "./master-key";

/**
 * The master key files in a data dir: `master.key` encrypts, `master.key.next` is the key a
 * rotation moves to (written by `master-key rotate --prepare`, or by `rotate` itself), renamed
 * over master.key once the rotation has finished.
 */
export function keyFilesOf(dataDir: string) {
  const current = path.join(dataDir, "master.key");
  return { current, next: `${current}.next` };
}

export function readKeyFile(keyFile: string): string {
  try {
    return fs.readFileSync(keyFile, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** A new random key in `keyFile` (0600); "wx": never overwrites a key another process wrote a moment ago. */
export function createKeyFile(keyFile: string): MasterKey {
  const base64 = randomBytes(MASTER_KEY_BYTES).toString("base64");
  try {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, `${base64}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return parseMasterKey(readKeyFile(keyFile), keyFile);
    throw new ConfigError(`cannot create ${keyFile} (${code ?? String(error)}); is the data directory writable?`);
  }
  return parseMasterKey(base64, keyFile);
}

/** master.key.next, or null when there is none; a malformed one is a ConfigError naming it. */
export function readNextKeyFile(dataDir: string): MasterKey | null {
  const { next } = keyFilesOf(dataDir);
  return fs.existsSync(next) ? parseMasterKey(readKeyFile(next), next) : null;
}

/** The prepared master.key.next, or a new one (0600) when there is none. */
export function prepareNextKeyFile(dataDir: string): { key: MasterKey; created: boolean } {
  const existing = readNextKeyFile(dataDir);
  if (existing) return { key: existing, created: false };
  const key = createKeyFile(keyFilesOf(dataDir).next);
  return { key, created: true };
}

/**
 * The rotation to `key` finished: master.key.next becomes master.key (rename is atomic on one
 * filesystem). Done already (by this server's key watcher, say) is fine too.
 */
export function commitKeyFile(dataDir: string, key: MasterKey): void {
  const { current, next } = keyFilesOf(dataDir);
  try {
    fs.renameSync(next, current);
  } catch (error) {
    const done =
      (error as NodeJS.ErrnoException).code === "ENOENT" &&
      fs.existsSync(current) &&
      parseMasterKey(readKeyFile(current), current).id === key.id;
    if (!done) throw error;
  }
}

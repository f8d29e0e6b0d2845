import "server-only";
import fs from "node:fs";
import type { Database } from "@/lib/db";
import { describeError } from "@/lib/errors/describe-error";
import { commitKeyFile, keyFilesOf, readNextKeyFile } from "@/lib/secrets/key-files";
import {
  adoptKey,
  beginKeyRotation,
  finishKeyRotation,
  KEY_WATCH_INTERVAL_MS,
  WRITE_IN_FLIGHT_MS,
  type KeyRing,
  type KeyRotationState,
} from "@/lib/secrets/key-ring";
import type { MasterKey } from "@/lib/secrets/master-key";
import { countSecretsNotUnder } from "@/lib/services/secrets/count-secrets-not-under";
import { readKeyRotations } from "@/lib/services/secrets/read-key-rotations";

/**
 * Lets a server follow a master-key rotation that another process runs on the same database (the
 * CLI or the server of another data dir, on this host or another), without a restart:
 *
 * 1. A master.key.next that appears in the data dir is adopted as a key that decrypts, not one
 *    that encrypts: other instances may not hold it yet.
 * 2. Once the audit log records that the rotation to it started, it encrypts too. `rotate` is run
 *    after every instance adopted the key (the --prepare procedure), so every instance opens what
 *    is written under it. The rotation keeps sweeping for a settle time after that row
 *    (rotate-master-key's SETTLE_MS: two watch intervals and the in-flight allowance), so this
 *    server's writes that took the old key before it switched are swept too.
 * 3. Once the audit log records that it finished, the old keys are dropped and master.key.next is
 *    renamed over master.key, as start-up would do: the sweep's last pass found nothing under them,
 *    and since step 2 no instance encrypts under them. Checked once more (nothing under another
 *    key), because a server that got the file only after the rotation (it was not prepared) wrote
 *    under the old key meanwhile: then the old key stays, and the operator is told why.
 *
 * Why not the simpler signals alone: master.key being replaced happens only in the rotating
 * instance's own data dir, never on other hosts; and "nothing is left under the old key" never
 * holds while this server still writes under it, and when it briefly does, a write of another
 * instance that has not switched yet can land under the old key right after. It is the last
 * check before a key is discarded, not the signal to switch.
 *
 * A stat per interval while nothing is prepared; one indexed query per interval while a key is
 * watched and its rotation has not finished, one count when it has. `onChange` runs after the ring
 * gained, switched or dropped a key (the heartbeat publishes it). Returns a stop function.
 */
export function watchMasterKeys(
  dataDir: string,
  db: Database,
  keyRing: KeyRing,
  { intervalMs = KEY_WATCH_INTERVAL_MS, onChange = () => {} }: { intervalMs?: number; onChange?: () => void } = {},
): () => void {
  const file = keyFilesOf(dataDir).next;
  let signature: string | null = null;
  let watched: MasterKey | null = null;
  const finished = new Set<string>();
  const switchedAt = new Map<string, number>();
  let lastError = "";
  let busy = false;

  const adopt = (): MasterKey | null => {
    try {
      const key = readNextKeyFile(dataDir);
      if (key && adoptKey(keyRing, key)) {
        console.log(
          `[cluster-tls] master key ${key.id} from ${file} adopted: it decrypts now; new secrets stay under ${keyRing.current.id} until the rotation to it starts`,
        );
        onChange();
      }
      return key;
    } catch (error) {
      // Half-copied or mistyped: the next change of the file is read again.
      console.error(`[cluster-tls] ignoring master.key.next: ${describeError(error)}`);
      return null;
    }
  };

  const follow = async (key: MasterKey, state: KeyRotationState | undefined) => {
    if (!state) return;
    if (keyRing.current.id !== key.id) {
      beginKeyRotation(keyRing, key);
      switchedAt.set(key.id, Date.now());
      console.log(`[cluster-tls] master key rotation to ${key.id} started: new secrets are encrypted under it`);
      onChange();
    } else if (!switchedAt.has(key.id)) {
      switchedAt.set(key.id, 0); // at start-up, or by the rotation this server runs
    }
    // Switched only now (the key came after the rotation finished): writes under the old key may still land.
    if (state !== "finished" || Date.now() - switchedAt.get(key.id)! < WRITE_IN_FLIGHT_MS) return;
    const left = await countSecretsNotUnder(db, key.id);
    finished.add(key.id);
    if (left > 0) {
      console.error(
        `[cluster-tls] master key rotation to ${key.id} finished, but ${left} secrets are under another key (written by a server that did not hold ${key.id} yet): ` +
          `keeping the old key and master.key; \`master-key rotate\` on this instance moves them under ${key.id}`,
      );
      return;
    }
    if (keyRing.all.length > 1) {
      finishKeyRotation(keyRing);
      console.log(`[cluster-tls] master key rotation to ${key.id} finished: the old key no longer opens anything`);
      onChange();
    }
    // What start-up would do with it (unless the file changed meanwhile): master.key is the key the data is under.
    if (readNextKeyFile(dataDir)?.id === key.id) commitKeyFile(dataDir, key);
  };

  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      const now = stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : null;
      if (now !== signature) {
        signature = now;
        watched = now ? adopt() : null;
      }
      if (watched && !finished.has(watched.id)) {
        const key = watched;
        await follow(key, (await readKeyRotations(db, [key.id])).get(key.id));
      }
      lastError = "";
    } catch (error) {
      const message = describeError(error);
      if (message !== lastError) console.error(`[cluster-tls] master key watch: ${message}`);
      lastError = message;
    } finally {
      busy = false;
    }
  };

  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

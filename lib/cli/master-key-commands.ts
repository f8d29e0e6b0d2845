import "server-only";
import { randomBytes } from "node:crypto";
import type { Actor } from "@/lib/access/actor";
import type { Runtime } from "@/lib/runtime/bootstrap";
import { INSTANCE } from "@/lib/runtime/instance-name";
import { commitKeyFile, createKeyFile, keyFilesOf, prepareNextKeyFile, readNextKeyFile } from "@/lib/secrets/key-files";
import { beginKeyRotation, finishKeyRotation } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { assertInstancesHoldKey } from "@/lib/services/instances/assert-instances-hold-key";
import { rotateMasterKey } from "@/lib/services/secrets/rotate-master-key";
import type { CliResult } from "./run-cli-command";

const ENV = "CLUSTER_TLS_MASTER_KEY";

/**
 * `master-key rotate --prepare`: the next key goes into master.key.next and nothing else changes.
 * Every server adopts a master.key.next in its data dir as a key that decrypts (watch-master-keys),
 * so once the file is in each instance's data dir, the rotation cannot strand any of them.
 */
export function prepareKeyRotation(runtime: Runtime): CliResult {
  const { config } = runtime;
  const { key, created } = prepareNextKeyFile(config.dataDir);
  const file = keyFilesOf(config.dataDir).next;
  const others =
    config.database.kind === "postgres"
      ? ` Copy it as master.key.next (mode 0600) into the data directory of every other instance on this database; each logs "master key ${key.id} from … adopted" within seconds.`
      : "";
  return {
    message: `${created ? "prepared" : "already prepared:"} master key ${key.id} in ${file}; nothing is re-encrypted yet.${others} Then run \`master-key rotate\`.`,
  };
}

/**
 * `master-key rotate`: moves every secret to the prepared master.key.next, or to a new key. This
 * process switches first (new writes use the new key, the old one still decrypts), the sweep
 * re-encrypts the rest, and the old key is dropped once nothing is under it.
 * On PostgreSQL it first refuses while another live server lacks the key (their heartbeats say
 * which keys they hold); this process is the running server when the CLI went through it.
 */
export async function rotateKey(runtime: Runtime, actor: Actor): Promise<CliResult> {
  const { keyRing, config, database } = runtime;
  const fromEnv = keyRing.source === ENV;
  const files = keyFilesOf(config.dataDir);
  const prepared = readNextKeyFile(config.dataDir);
  // Before anything is written: a refused rotation leaves no key file and no audit row behind. PGlite has one process.
  if (config.database.kind === "postgres") await assertInstancesHoldKey(database.db, { keyId: prepared?.id ?? null, self: INSTANCE });
  const next = prepared ?? (fromEnv ? parseMasterKey(randomBytes(32).toString("base64"), "new master key") : createKeyFile(files.next));
  const previous = beginKeyRotation(keyRing, next);
  const count = await rotateMasterKey(database.db, actor, previous, next);
  if (prepared || !fromEnv) commitKeyFile(config.dataDir, next);
  // Nothing is under the old key any more: it no longer opens anything.
  finishKeyRotation(keyRing);

  const done = `re-encrypted ${count} private keys under master key ${next.id}${prepared ? ` (prepared in ${files.next})` : ""}`;
  const shared = config.database.kind === "postgres";
  const othersFollowed =
    " Servers that hold it as master.key.next follow within seconds (it becomes their master.key); a stopped one does when it starts.";
  const othersLag =
    " Instances with another data directory hold only the old key until given the new one as master.key.next in their data directory, or restarted with it (`master-key rotate --prepare` avoids that gap).";
  const others = !shared ? "" : prepared ? othersFollowed : othersLag;
  const replaced = prepared || !fromEnv ? `; ${files.current} was replaced` : "";
  if (fromEnv) {
    return {
      message: `${done}${replaced}. Set ${ENV} to the new key below before the next restart.${others}`,
      payload: next.bytes.toString("base64"),
    };
  }
  return { message: `${done}${replaced}.${others}` };
}

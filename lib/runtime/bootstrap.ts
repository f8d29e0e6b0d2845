import { isNotNull } from "drizzle-orm";
import { readConfig, type AppConfig } from "@/lib/config";
import { readSignInSettings } from "@/lib/config/sign-in-settings";
import { ensureWritableDirectory } from "@/lib/config/writable-directory";
import { getDatabaseHandle, schema, type DatabaseHandle } from "@/lib/db";
import { envelopeKeyId } from "@/lib/secrets/envelope";
import { readNextKeyFile } from "@/lib/secrets/key-files";
import { loadKeyRing, type KeyRing, type KeyRotationState } from "@/lib/secrets/key-ring";
import { countSecretsNotUnder } from "@/lib/services/secrets/count-secrets-not-under";
import { readKeyRotations } from "@/lib/services/secrets/read-key-rotations";

export type Runtime = {
  config: AppConfig;
  database: DatabaseHandle;
  keyRing: KeyRing;
};

const globalForRuntime = globalThis as typeof globalThis & { __clusterTlsRuntime?: Promise<Runtime> };

/**
 * Everything a request needs, prepared once per process: configuration, the database (migrated),
 * and the master key checked against the data it must decrypt. Lazy so `next build` never runs it.
 */
export function getRuntime(): Promise<Runtime> {
  if (process.env.NEXT_PHASE === "phase-production-build") {
    // A page that reads data without `await connection()` would be prerendered against the
    // build machine's database (and PGlite would be opened by a second process).
    throw new Error("the database was requested during `next build`: mark the page dynamic with `await connection()`");
  }
  globalForRuntime.__clusterTlsRuntime ??= createRuntime().catch((error: unknown) => {
    globalForRuntime.__clusterTlsRuntime = undefined;
    throw error;
  });
  return globalForRuntime.__clusterTlsRuntime;
}

async function createRuntime(): Promise<Runtime> {
  const config = readConfig();
  // A broken single sign-on or password setting stops start-up with its variable named, not the first sign-in.
  readSignInSettings();
  // The data dir holds the CLI channel and, unless the environment supplies them, the secrets: it
  // must exist even when nothing else creates it (PostgreSQL with the master key and session
  // secret from the environment, as containers run it).
  ensureWritableDirectory(config.dataDir, "CLUSTER_TLS_DATA_DIR");
  const database = await getDatabaseHandle(config.database);
  const keyRing = loadKeyRing({
    dataDir: config.dataDir,
    envKeyBase64: config.masterKeyBase64,
    keyIdInUse: await findKeyIdInUse(database),
    rotations: await findKeyRotations(config.dataDir, database),
  });
  return { config, database, keyRing };
}

/** The master key id of any stored private key (CA keys first; server keys otherwise). */
async function findKeyIdInUse({ db }: DatabaseHandle): Promise<string | null> {
  const { certificateAuthorities, certificates } = schema;
  const [ca] = await db.select({ envelope: certificateAuthorities.encryptedPrivateKey }).from(certificateAuthorities).limit(1);
  const [server] = ca
    ? [null]
    : await db
        .select({ envelope: certificates.encryptedPrivateKey })
        .from(certificates)
        .where(isNotNull(certificates.encryptedPrivateKey))
        .limit(1);
  const envelope = ca?.envelope ?? server?.envelope;
  return envelope ? envelopeKeyId(envelope) : null;
}

/**
 * How far the rotations the audit log records got. A finished rotation to this data dir's
 * master.key.next counts as only started while secrets are still under another key (a server that
 * got the key after the rotation wrote under the old one meanwhile): master.key, which may be the
 * last copy of that old key, is then kept beside it instead of being replaced.
 */
async function findKeyRotations(dataDir: string, { db }: DatabaseHandle): Promise<Map<string, KeyRotationState>> {
  const rotations = await readKeyRotations(db);
  const next = readNextKeyFile(dataDir);
  if (next && rotations.get(next.id) === "finished" && (await countSecretsNotUnder(db, next.id)) > 0) rotations.set(next.id, "started");
  return rotations;
}

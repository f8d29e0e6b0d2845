import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { ConfigError } from "@/lib/config/errors";
import { ensureWritableDirectory } from "@/lib/config/writable-directory";
import { acquireLockFile } from "./lock-file";
import { analyzeStaleTables, startAutovacuum } from "./pglite-autovacuum";
import { migrationsFolder } from "./migrations-folder";
import { PKI_CHANGES_CHANNEL, registerPkiChangeFeed } from "./pki-change-feed";
import * as schema from "./schema";
import type { Database, DatabaseHandle } from "./types";

/** PostgreSQL's type OID of bytea. */
const BYTEA = 17;

/**
 * bytea in and out through Buffer's native hex codec. PGlite's own converts byte by byte in
 * JavaScript: a 4 MB CRL (100,000 entries) held the event loop ~700 ms each way, measured.
 */
function byteaToHex(value: unknown): string {
  if (!(value instanceof Uint8Array)) throw new Error("bytea parameters must be Uint8Array");
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
}

function hexToBytea(text: string): Uint8Array {
  const bytes = Buffer.from(text.slice(2), "hex");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  ensureWritableDirectory(dataDir, "CLUSTER_TLS_DATA_DIR or CLUSTER_TLS_PGLITE_DIR");
  const lock = acquireLockFile(`${dataDir}.lock`);
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir, { serializers: { [BYTEA]: byteaToHex }, parsers: { [BYTEA]: hexToBytea } });
  } catch (error) {
    lock.release();
    throw new ConfigError(`cannot open the embedded database at ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = drizzle({ client, schema }) as unknown as Database;
  try {
    await migrate(drizzle({ client }), { migrationsFolder: migrationsFolder() });
    // At open (server start-up, before it reports ready), not in the first request that needs a plan.
    await analyzeStaleTables(client);
  } catch (error) {
    await client.close();
    lock.release();
    throw error;
  }
  const listeners = new Set<(clusterId: string) => void>();
  await client.listen(PKI_CHANGES_CHANNEL, (clusterId) => listeners.forEach((listener) => listener(clusterId)));
  registerPkiChangeFeed(db, {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  const stopAutovacuum = startAutovacuum(client, (error) =>
    console.error(`[db] VACUUM or ANALYZE of the embedded database failed: ${String(error)}`),
  );
  // PGlite is a single process and a single connection: nothing else to coordinate.
  return {
    kind: "pglite",
    db,
    description: `embedded PGlite at ${dataDir}`,
    close: async () => {
      try {
        await stopAutovacuum();
        if (!client.closed) await client.close();
      } finally {
        lock.release();
      }
    },
  };
}

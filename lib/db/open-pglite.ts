import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { ConfigError } from "@/lib/config/errors";
import { acquireLockFile } from "./lock-file";
import { analyzeStaleTables, startAutoAnalyze } from "./pglite-auto-analyze";
import { migrationsFolder } from "./migrations-folder";
import * as schema from "./schema";
import type { Database, DatabaseHandle } from "./types";

export async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (error) {
    throw new ConfigError(
      `data directory ${dataDir} is not writable (${(error as NodeJS.ErrnoException).code ?? "error"}); ` +
        "set CLUSTER_TLS_DATA_DIR or CLUSTER_TLS_PGLITE_DIR to a writable path",
    );
  }
  const lock = acquireLockFile(`${dataDir}.lock`);
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir);
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
  const stopAutoAnalyze = startAutoAnalyze(client, (error) => console.error(`[db] ANALYZE of the embedded database failed: ${String(error)}`));
  // PGlite is a single process and a single connection: nothing else to coordinate.
  return {
    kind: "pglite",
    db,
    description: `embedded PGlite at ${dataDir}`,
    close: async () => {
      try {
        await stopAutoAnalyze();
        if (!client.closed) await client.close();
      } finally {
        lock.release();
      }
    },
  };
}

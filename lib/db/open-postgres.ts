import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { ConfigError, describeDatabase } from "@/lib/config";
import { migrationsFolder } from "./migrations-folder";
import * as schema from "./schema";
import type { Database, DatabaseHandle } from "./types";

// Any 64-bit number shared by every instance; spells "ctls-mig" in ASCII.
const MIGRATION_LOCK_KEY = BigInt("0x63746c732d6d6967");

export async function openPostgres(url: string): Promise<DatabaseHandle> {
  const description = describeDatabase({ kind: "postgres", url });
  // A caller waits up to 30 s for one of the 10 connections. HTTP requests seldom wait at all
  // (scripts/serve.mjs runs 8 at a time); 500 concurrent revocations of one CA, each holding the
  // CA's row lock while it signs a CRL, queue ~5 s here and passed 10 s on a busy CI machine.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 30_000 });
  // An idle client dropping (server restart) must not crash the process; the next query reconnects.
  pool.on("error", (error) => console.error(`[db] idle PostgreSQL connection lost: ${error.message}`));

  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new ConfigError(`cannot reach DATABASE_URL (${description}): ${(error as Error).message}`, { cause: error });
  }
  try {
    // The migrator takes no lock of its own; several app instances may start at once.
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    await migrate(drizzle({ client }), { migrationsFolder: migrationsFolder() });
  } catch (error) {
    client.release(true);
    await pool.end().catch(() => {});
    throw error;
  }
  await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]);
  client.release();

  return {
    kind: "postgres",
    db: drizzle({ client: pool, schema }) as unknown as Database,
    description,
    close: () => pool.end(),
  };
}

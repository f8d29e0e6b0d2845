import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { analyzeStaleTables } from "./pglite-autovacuum";
import type { Database } from "./types";

/**
 * Autovacuum's ANALYZE on demand, for work that just changed many rows and plans again at once
 * (a bulk re-issue): PGlite has no autovacuum, and its once-a-minute check
 * (lib/db/pglite-autovacuum.ts) may not have run yet. Real PostgreSQL does it itself.
 * Returns the tables analyzed.
 */
export async function refreshPlannerStatistics(db: Database): Promise<string[]> {
  // drizzle keeps the driver's client on `$client`: PGlite's, or pg's pool.
  const client = (db as { $client?: unknown }).$client;
  return client instanceof PGlite ? analyzeStaleTables(client) : [];
}

import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { Database } from "./types";

/** The tables whose row counts swing with fleet operations (bulk re-issue, revocations). */
const TABLES = ["certificates", "nodes", "crls", "audit_events", "webhook_deliveries"] as const;

/** Whether this handle is the embedded PGlite (drizzle keeps the driver client on `$client`). */
export function isEmbeddedDatabase(db: Database): boolean {
  return (db as { $client?: unknown }).$client instanceof PGlite;
}

/**
 * PGlite runs no autovacuum, so its planner statistics stay as they were at the last ANALYZE: a
 * table that grew from 0 to 1,000 rows still "has 1 row", and a join over it becomes a nested
 * loop (a 1,000-node bulk re-issue spent 300 ms in one such query, measured). This analyzes each
 * table the way autovacuum would decide to (changed rows > 50 + 10% of the rows the statistics
 * know, or never analyzed and not empty). Real PostgreSQL has autovacuum: nothing to do there.
 * Returns the tables analyzed.
 */
export async function refreshPlannerStatistics(db: Database): Promise<string[]> {
  if (!isEmbeddedDatabase(db)) return [];
  const tables = sql.join(TABLES.map((t) => sql`${t}`), sql`, `);
  // This backend's counters reach pg_stat_user_tables at most once a second unless flushed.
  await db.execute(sql`SELECT pg_stat_force_next_flush()`);
  const result = await db.execute(sql`
    SELECT c.relname,
           (c.reltuples < 0 AND s.n_live_tup > 0) OR s.n_mod_since_analyze > 50 + 0.1 * GREATEST(c.reltuples, 0) AS stale
      FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE c.relname IN (${tables})`);
  const stale = (result as unknown as { rows: { relname: string; stale: boolean }[] }).rows.filter((r) => r.stale).map((r) => r.relname);
  // Names come from the list above, never from input.
  for (const table of stale) await db.execute(sql.raw(`ANALYZE ${table}`));
  return stale;
}

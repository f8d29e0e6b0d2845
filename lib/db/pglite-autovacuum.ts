import type { PGlite } from "@electric-sql/pglite";

/**
 * PGlite runs PostgreSQL as a single-user backend: no autovacuum launcher, so nothing ever runs
 * ANALYZE or VACUUM. Without statistics the planner guesses one row per table and picks nested
 * loops that read the fleet a thousand times over (the cluster page's node list, page 20: 250 ms
 * instead of 4 ms on 1,000 nodes); without VACUUM every superseded certificate and pruned row
 * stays on disk and in scans for good. This does autovacuum's work with its default thresholds.
 */
const ANALYZE_THRESHOLD = 50; // autovacuum_analyze_threshold
const ANALYZE_SCALE_FACTOR = 0.1; // autovacuum_analyze_scale_factor
const VACUUM_THRESHOLD = 50; // autovacuum_vacuum_threshold
const VACUUM_SCALE_FACTOR = 0.2; // autovacuum_vacuum_scale_factor
const NAPTIME_MS = 60_000; // autovacuum_naptime

/**
 * Runs `command` (VACUUM or ANALYZE) on the public tables that `condition` picks from
 * pg_stat_user_tables `s` and pg_class `c`, and returns their names. The statistics counters reach
 * pg_stat_user_tables lazily: this backend's pending ones are flushed first.
 */
async function maintainTables(client: PGlite, command: "VACUUM" | "ANALYZE", condition: string, params: number[]): Promise<string[]> {
  await client.query("SELECT pg_stat_force_next_flush()");
  const { rows } = await client.query<{ relname: string }>(
    `SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = 'public' AND (${condition})
      ORDER BY s.relname`,
    params,
  );
  if (rows.length === 0) return [];
  await client.exec(`${command} ${rows.map((r) => `"${r.relname.replace(/"/g, '""')}"`).join(", ")}`);
  return rows.map((r) => r.relname);
}

/** VACUUMs every table whose dead rows passed autovacuum's threshold, and returns their names. */
export function vacuumDeadTables(client: PGlite): Promise<string[]> {
  return maintainTables(client, "VACUUM", "s.n_dead_tup > $1 + $2 * greatest(c.reltuples, 0)", [VACUUM_THRESHOLD, VACUUM_SCALE_FACTOR]);
}

/**
 * ANALYZEs every table never analyzed (reltuples -1) or changed past autovacuum's threshold, and
 * returns their names. The change counters live in memory and die with the process (as in
 * PostgreSQL after a crash), so the database handle also runs this when it closes.
 */
export function analyzeStaleTables(client: PGlite): Promise<string[]> {
  return maintainTables(client, "ANALYZE", "c.reltuples < 0 OR s.n_mod_since_analyze > $1 + $2 * greatest(c.reltuples, 0)", [
    ANALYZE_THRESHOLD,
    ANALYZE_SCALE_FACTOR,
  ]);
}

/**
 * Checks once a minute, like autovacuum's naptime: VACUUM where dead rows piled up, then ANALYZE
 * where rows changed. PGlite queues every query behind the one running, so neither lands inside
 * a transaction. The returned stop function runs a last ANALYZE (what a bulk load — a restore,
 * the CLI, a seed — wrote is analyzed before the process ends, so the next start plans with it)
 * and waits for it: call it before closing.
 */
export function startAutovacuum(client: PGlite, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const queue = (work: () => Promise<unknown>) => (running = running.then(work).catch(onError));
  const timer = setInterval(() => queue(async () => (await vacuumDeadTables(client), await analyzeStaleTables(client))), NAPTIME_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    if (!client.closed) await queue(() => analyzeStaleTables(client));
  };
}

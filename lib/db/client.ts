import { readConfig, type DatabaseConfig } from "@/lib/config";
import { openPglite } from "./open-pglite";
import { openPostgres } from "./open-postgres";
import type { Database, DatabaseHandle } from "./types";

// One handle per process, kept on globalThis: Next.js may load this module once per bundle
// (instrumentation, route handlers, pages), and PGlite must never be opened twice.
const globalForDb = globalThis as typeof globalThis & { __clusterTlsDb?: Promise<DatabaseHandle> };

/**
 * Opens the database on first use (never at import time: `next build` imports every route) and
 * applies pending migrations. Later calls share the same handle.
 */
export function getDatabaseHandle(config: DatabaseConfig = readConfig().database): Promise<DatabaseHandle> {
  globalForDb.__clusterTlsDb ??= openDatabase(config).catch((error: unknown) => {
    globalForDb.__clusterTlsDb = undefined; // let a later call retry after the operator fixes things
    throw error;
  });
  return globalForDb.__clusterTlsDb;
}

export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}

export async function closeDatabase(): Promise<void> {
  const pending = globalForDb.__clusterTlsDb;
  globalForDb.__clusterTlsDb = undefined;
  if (!pending) return;
  const handle = await pending.catch(() => null);
  await handle?.close();
}

export function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  return config.kind === "pglite" ? openPglite(config.dataDir) : openPostgres(config.url);
}

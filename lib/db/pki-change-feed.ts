import { processSingleton } from "@/lib/cache/process-singleton";
import type { Database } from "./types";

/** The channel the pki_versions triggers NOTIFY at commit (payload: the cluster id). */
export const PKI_CHANGES_CHANNEL = "pki_versions";

export type PkiChangeFeed = { subscribe: (listener: (clusterId: string) => void) => () => void };

/**
 * Change notices for a database only this process writes: the embedded PGlite (one process holds
 * its lock; the CLI goes through the running server). PGlite hands a commit's notifications to
 * listeners before the committing call returns, so a cache hears of a change no later than its
 * writer does. PostgreSQL gets no feed: other instances write there, and their notices may arrive
 * after our next request — its readers ask for the version instead.
 */
const feeds = () => processSingleton("pki-change-feeds", () => new WeakMap<Database, PkiChangeFeed>());

export function registerPkiChangeFeed(db: Database, feed: PkiChangeFeed): void {
  feeds().set(db, feed);
}

export function pkiChangeFeed(db: Database): PkiChangeFeed | undefined {
  return feeds().get(db);
}

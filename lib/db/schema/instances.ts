import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per running server on this database, refreshed every few seconds (heartbeat): which
 * master keys each one holds, so `master-key rotate` can refuse while an instance lacks the key
 * it moves to. A stopped server deletes its row; a killed one's row goes stale (last_seen_at).
 */
export const appInstances = pgTable("app_instances", {
  // `${hostname}:${pid}` (lib/runtime/instance-name.ts), as job_runs.instance.
  instance: text("instance").primaryKey(),
  /** The key it encrypts new secrets under. */
  currentKeyId: text("current_key_id").notNull(),
  /** Every key it decrypts with, current first. */
  keyIds: text("key_ids").array().notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  // Set from the database's clock (now()), as liveness is judged by it: hosts' clocks may differ.
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

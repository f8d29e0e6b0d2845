import "server-only";
import { eq, sql } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import type { KeyRing } from "@/lib/secrets/key-ring";

/** A killed server's row stays until then: long enough to see it went away, short enough to keep the table tiny. */
const FORGET_AFTER = sql`interval '1 day'`;

/**
 * Upserts this server's row: the keys it holds right now (keyRing changes in place when the key
 * watcher adopts or switches), last seen at the database's now(). Forgets long-dead instances.
 */
export async function recordInstanceHeartbeat(
  db: Database,
  { instance, keyRing, startedAt }: { instance: string; keyRing: KeyRing; startedAt: Date },
): Promise<void> {
  const keys = { currentKeyId: keyRing.current.id, keyIds: keyRing.all.map((key) => key.id), startedAt, lastSeenAt: sql`now()` };
  await db
    .insert(schema.appInstances)
    .values({ instance, ...keys })
    .onConflictDoUpdate({ target: schema.appInstances.instance, set: keys });
  await db.delete(schema.appInstances).where(sql`${schema.appInstances.lastSeenAt} < now() - ${FORGET_AFTER}`);
}

/** A server that stops cleanly takes its row with it, rather than leaving it to go stale. */
export async function removeInstance(db: Database, instance: string): Promise<void> {
  await db.delete(schema.appInstances).where(eq(schema.appInstances.instance, instance));
}

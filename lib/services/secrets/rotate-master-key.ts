import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { decryptSecret, encryptSecret } from "@/lib/secrets/envelope";
import { KEY_WATCH_INTERVAL_MS, WRITE_IN_FLIGHT_MS } from "@/lib/secrets/key-ring";
import type { MasterKey } from "@/lib/secrets/master-key";
import { countSecretsNotUnder, notUnder, SECRET_COLUMNS } from "./count-secrets-not-under";
import { KEY_ROTATION_FINISHED, KEY_ROTATION_STARTED } from "./read-key-rotations";

/**
 * Sweeps repeat until nothing is left and at least this long has passed since the "started" row
 * committed. Other servers on the database read that row within one watch interval (plus the
 * query and a busy event loop: a second interval) and then encrypt under `next` only; their
 * writes that took the old key before commit within WRITE_IN_FLIGHT_MS, so the last sweep finds them.
 */
const SETTLE_MS = WRITE_IN_FLIGHT_MS + 2 * KEY_WATCH_INTERVAL_MS;

/** Secrets moved per transaction: short transactions keep row locks brief for the writers beside us. */
const BATCH = 100;

type Secrets = (typeof SECRET_COLUMNS)[number];

/**
 * Re-encrypts every stored secret (CA keys, pending CA requests, server keys, webhook secrets)
 * under `next`. The caller switches its key ring to `next` first, so new writes already use it;
 * this records that the rotation started (other servers holding `next` switch too), then sweeps
 * whatever is not under `next` yet until nothing is left after the settle time, and records
 * that it finished (they drop the old keys).
 * A write that encrypted under the old key a moment before the switch (a re-issue under load) is
 * caught by a later sweep instead of being left under a key that is about to be dropped.
 *
 * Each batch is its own transaction and skips rows a writer holds (SKIP LOCKED): the sweep never
 * waits for a lock while holding others, so it cannot deadlock with a re-issue that locks a
 * certificate and then its CA. Skipped rows are counted without locks and swept on the next pass.
 * Returns how many secrets moved.
 */
export async function rotateMasterKey(
  db: Database,
  actor: Actor,
  keys: readonly MasterKey[],
  next: MasterKey,
  { settleMs = SETTLE_MS } = {},
): Promise<number> {
  assertAllowed(actor, "users:manage");
  const decryptWith = [next, ...keys.filter((k) => k.id !== next.id)];
  const from = keys.find((k) => k.id !== next.id)?.id ?? null;
  await recordAuditEvent(db, actor, {
    action: KEY_ROTATION_STARTED,
    objectType: "master_key",
    objectId: next.id,
    details: { from, to: next.id },
  });
  const started = Date.now();
  let moved = 0;
  for (;;) {
    for (const secrets of SECRET_COLUMNS) moved += await sweep(db, secrets, decryptWith, next);
    const left = await countSecretsNotUnder(db, next.id);
    const waited = Date.now() - started;
    if (left === 0 && waited >= settleMs) break;
    await new Promise((resolve) => setTimeout(resolve, left === 0 ? settleMs - waited : 50));
  }
  await recordAuditEvent(db, actor, {
    action: KEY_ROTATION_FINISHED,
    objectType: "master_key",
    objectId: next.id,
    details: { from, to: next.id, reencrypted: moved },
  });
  return moved;
}

/** Moves one table's secrets to `next`, a batch per transaction, skipping rows locked by writers. */
async function sweep(db: Database, { table, id, envelope }: Secrets, keys: readonly MasterKey[], next: MasterKey): Promise<number> {
  let moved = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const result = await tx.execute(sql`
        SELECT ${id} AS id, ${envelope} AS envelope FROM ${table}
         WHERE ${notUnder(envelope, next.id)}
         ORDER BY ${id} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`);
      const rows = rowsOf<{ id: string; envelope: string }>(result);
      for (const row of rows) {
        const reencrypted = encryptSecret(decryptSecret(row.envelope, keys), next);
        await tx.execute(sql`UPDATE ${table} SET ${sql.identifier(envelope.name)} = ${reencrypted} WHERE ${id} = ${row.id}`);
      }
      return rows.length;
    });
    moved += count;
    if (count < BATCH) return moved;
  }
}

import "server-only";
import { sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { schema, type Database } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { decryptSecret, encryptSecret } from "@/lib/secrets/envelope";
import type { MasterKey } from "@/lib/secrets/master-key";

/**
 * How long writes that encrypted under the old key just before the switch may take to commit:
 * sweeps repeat until nothing is left and at least this long has passed since the start.
 */
const SETTLE_MS = 1_000;

/** Secrets moved per transaction: short transactions keep row locks brief for the writers beside us. */
const BATCH = 100;

/** Every column that holds an envelope (lib/secrets/envelope), with its table's primary key. */
const SECRET_COLUMNS: readonly { table: PgTable; id: AnyPgColumn; envelope: AnyPgColumn }[] = [
  { table: schema.certificateAuthorities, id: schema.certificateAuthorities.id, envelope: schema.certificateAuthorities.encryptedPrivateKey },
  { table: schema.caRequests, id: schema.caRequests.id, envelope: schema.caRequests.encryptedPrivateKey },
  { table: schema.certificates, id: schema.certificates.id, envelope: schema.certificates.encryptedPrivateKey },
  { table: schema.webhooks, id: schema.webhooks.id, envelope: schema.webhooks.encryptedSecret },
];

type Secrets = (typeof SECRET_COLUMNS)[number];

/**
 * Re-encrypts every stored secret (CA keys, pending CA requests, server keys, webhook secrets)
 * under `next`. The caller switches its key ring to `next` first, so new writes already use it;
 * this then sweeps whatever is not under `next` yet until nothing is left after the settle time.
 * A write that encrypted under the old key a moment before the switch (a re-issue under load) is
 * caught by a later sweep instead of being left under a key that is about to be dropped.
 *
 * Each batch is its own transaction and skips rows a writer holds (SKIP LOCKED): the sweep never
 * waits for a lock while holding others, so it cannot deadlock with a re-issue that locks a
 * certificate and then its CA. Skipped rows are counted without locks and swept on the next pass.
 * Returns how many secrets moved.
 */
export async function rotateMasterKey(db: Database, actor: Actor, keys: readonly MasterKey[], next: MasterKey, { settleMs = SETTLE_MS } = {}): Promise<number> {
  assertAllowed(actor, "users:manage");
  const decryptWith = [next, ...keys.filter((k) => k.id !== next.id)];
  const started = Date.now();
  let moved = 0;
  for (;;) {
    for (const secrets of SECRET_COLUMNS) moved += await sweep(db, secrets, decryptWith, next);
    const left = await countNotUnder(db, next);
    const waited = Date.now() - started;
    if (left === 0 && waited >= settleMs) break;
    await new Promise((resolve) => setTimeout(resolve, left === 0 ? settleMs - waited : 50));
  }
  await recordAuditEvent(db, actor, {
    action: "master_key.rotate",
    objectType: "master_key",
    objectId: next.id,
    details: { from: keys.find((k) => k.id !== next.id)?.id ?? null, to: next.id, reencrypted: moved },
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
         WHERE ${notUnder(envelope, next)}
         ORDER BY ${id} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`);
      const rows = (result as unknown as { rows: { id: string; envelope: string }[] }).rows;
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

/** Secrets still under another key, locked or not. */
async function countNotUnder(db: Database, next: MasterKey): Promise<number> {
  let left = 0;
  for (const { table, envelope } of SECRET_COLUMNS) {
    const result = await db.execute(sql`SELECT count(*)::int AS n FROM ${table} WHERE ${notUnder(envelope, next)}`);
    left += (result as unknown as { rows: { n: number }[] }).rows[0]!.n;
  }
  return left;
}

function notUnder(envelope: AnyPgColumn, next: MasterKey) {
  return sql`${envelope} IS NOT NULL AND ${envelope} NOT LIKE ${`ctls1.${next.id}.%`}`;
}

import "server-only";
import { eq, isNotNull, not, like, and } from "drizzle-orm";
import { schema, type Database, type Transaction } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { decryptSecret, encryptSecret } from "@/lib/secrets/envelope";
import type { MasterKey } from "@/lib/secrets/master-key";

/**
 * How long writes that encrypted under the old key just before the switch may take to commit:
 * sweeps repeat until one finds nothing left and at least this long has passed since the start.
 */
const SETTLE_MS = 1_000;

/**
 * Re-encrypts every stored secret (CA keys, pending CA requests, server keys, webhook secrets)
 * under `next`. The caller switches its key ring to `next` first, so new writes already use it;
 * this then sweeps whatever is not under `next` yet — one transaction per sweep, each secret
 * moving whole — until a sweep finds nothing after the settle time. A write that encrypted under
 * the old key a moment before the switch (a re-issue under load) is caught by a later sweep
 * instead of being left under a key that is about to be dropped. Returns how many moved.
 */
export async function rotateMasterKey(db: Database, actor: Actor, keys: readonly MasterKey[], next: MasterKey, { settleMs = SETTLE_MS } = {}): Promise<number> {
  assertAllowed(actor, "users:manage");
  const decryptWith = [next, ...keys.filter((k) => k.id !== next.id)];
  const started = Date.now();
  let moved = 0;
  for (;;) {
    const count = await db.transaction((tx) => sweep(tx, decryptWith, next));
    moved += count;
    const waited = Date.now() - started;
    if (count === 0 && waited >= settleMs) break;
    if (count === 0) await new Promise((resolve) => setTimeout(resolve, settleMs - waited));
  }
  await recordAuditEvent(db, actor, {
    action: "master_key.rotate",
    objectType: "master_key",
    objectId: next.id,
    details: { from: keys.find((k) => k.id !== next.id)?.id ?? null, to: next.id, reencrypted: moved },
  });
  return moved;
}

/** One pass: every envelope not under `next`, locked, decrypted and re-encrypted. */
async function sweep(tx: Transaction, keys: readonly MasterKey[], next: MasterKey): Promise<number> {
  const { certificateAuthorities: cas, caRequests, certificates: certs, webhooks } = schema;
  const underNext = `ctls1.${next.id}.%`;
  const move = (envelope: string) => encryptSecret(decryptSecret(envelope, keys), next);
  let count = 0;
  for (const row of await tx.select({ id: cas.id, envelope: cas.encryptedPrivateKey }).from(cas).where(not(like(cas.encryptedPrivateKey, underNext))).for("update")) {
    await tx.update(cas).set({ encryptedPrivateKey: move(row.envelope) }).where(eq(cas.id, row.id));
    count++;
  }
  for (const row of await tx.select({ id: caRequests.id, envelope: caRequests.encryptedPrivateKey }).from(caRequests).where(not(like(caRequests.encryptedPrivateKey, underNext))).for("update")) {
    await tx.update(caRequests).set({ encryptedPrivateKey: move(row.envelope) }).where(eq(caRequests.id, row.id));
    count++;
  }
  const certRows = await tx
    .select({ id: certs.id, envelope: certs.encryptedPrivateKey })
    .from(certs)
    .where(and(isNotNull(certs.encryptedPrivateKey), not(like(certs.encryptedPrivateKey, underNext))))
    .for("update");
  for (const row of certRows) {
    await tx.update(certs).set({ encryptedPrivateKey: move(row.envelope!) }).where(eq(certs.id, row.id));
    count++;
  }
  for (const row of await tx.select({ id: webhooks.id, envelope: webhooks.encryptedSecret }).from(webhooks).where(not(like(webhooks.encryptedSecret, underNext))).for("update")) {
    await tx.update(webhooks).set({ encryptedSecret: move(row.envelope) }).where(eq(webhooks.id, row.id));
    count++;
  }
  return count;
}

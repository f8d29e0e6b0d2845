import "server-only";
import { eq, isNotNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { decryptSecret, encryptSecret } from "@/lib/secrets/envelope";
import type { MasterKey } from "@/lib/secrets/master-key";

/**
 * Re-encrypts every stored private key (CAs, pending CA requests, servers) and webhook signing secret under `next`, in one transaction: either every key moves
 * to the new master key or none does. The caller swaps the key file only after this commits.
 */
export async function rotateMasterKey(db: Database, actor: Actor, keys: readonly MasterKey[], next: MasterKey): Promise<number> {
  assertAllowed(actor, "users:manage");
  const { certificateAuthorities: cas, caRequests, certificates: certs, webhooks } = schema;
  return db.transaction(async (tx) => {
    const caRows = await tx.select({ id: cas.id, envelope: cas.encryptedPrivateKey }).from(cas).for("update");
    const certRows = await tx
      .select({ id: certs.id, envelope: certs.encryptedPrivateKey })
      .from(certs)
      .where(isNotNull(certs.encryptedPrivateKey))
      .for("update");
    const webhookRows = await tx.select({ id: webhooks.id, envelope: webhooks.encryptedSecret }).from(webhooks).for("update");
    const requestRows = await tx.select({ id: caRequests.id, envelope: caRequests.encryptedPrivateKey }).from(caRequests).for("update");
    for (const row of requestRows) {
      await tx.update(caRequests).set({ encryptedPrivateKey: encryptSecret(decryptSecret(row.envelope, keys), next) }).where(eq(caRequests.id, row.id));
    }
    for (const row of webhookRows) {
      await tx.update(webhooks).set({ encryptedSecret: encryptSecret(decryptSecret(row.envelope, keys), next) }).where(eq(webhooks.id, row.id));
    }
    for (const row of caRows) {
      const plaintext = decryptSecret(row.envelope, keys);
      await tx.update(cas).set({ encryptedPrivateKey: encryptSecret(plaintext, next) }).where(eq(cas.id, row.id));
    }
    for (const row of certRows) {
      const plaintext = decryptSecret(row.envelope!, keys);
      await tx.update(certs).set({ encryptedPrivateKey: encryptSecret(plaintext, next) }).where(eq(certs.id, row.id));
    }
    const count = caRows.length + requestRows.length + certRows.length + webhookRows.length;
    await recordAuditEvent(tx, actor, {
      action: "master_key.rotate",
      objectType: "master_key",
      objectId: next.id,
      details: { from: keys[0]?.id ?? null, to: next.id, reencrypted: count },
    });
    return count;
  });
}

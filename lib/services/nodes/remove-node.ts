import "server-only";
import { and, eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import { getNodeOrThrow, lockLiveNode } from "./get-node";

/**
 * Removes a node: every active certificate it holds (server, and replication/pooler client
 * certificates) is revoked with cessationOfOperation and each affected CA's CRL re-signed, all
 * in one transaction. The row stays (removedAt) so history and lineage keep their owner, and
 * the hostname becomes free for a new node.
 */
export async function removeNode(db: Database, actor: Actor, keyRing: KeyRing, nodeId: string) {
  const { node, cluster } = await getNodeOrThrow(db, actor, nodeId);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const { nodes, certificates } = schema;

  return db.transaction(async (tx) => {
    await lockLiveNode(tx, node);
    const now = new Date();
    const revoked = await tx
      .update(certificates)
      .set({ status: "revoked", revokedAt: now, revocationReason: "cessationOfOperation" })
      .where(and(eq(certificates.nodeId, node.id), eq(certificates.status, "active")))
      .returning({ serialHex: certificates.serialHex, issuerCaId: certificates.issuerCaId });
    await tx.update(nodes).set({ removedAt: now }).where(eq(nodes.id, node.id));
    const caIds = [...new Set(revoked.map((r) => r.issuerCaId).filter((id): id is string => id !== null))];
    for (const caId of caIds) await regenerateCrl(tx, caId, keyRing.all, now);
    await recordAuditEvent(tx, actor, {
      action: "node.remove",
      objectType: "node",
      objectId: node.id,
      clusterId: cluster.id,
      details: { name: node.hostname, revokedSerials: revoked.map((r) => r.serialHex) },
    });
    return { node: { ...node, removedAt: now }, cluster, revokedSerials: revoked.map((r) => r.serialHex) };
  });
}

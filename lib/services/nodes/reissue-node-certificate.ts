import "server-only";
import { issuedCertificateValues } from "@/lib/services/certificates/issued-certificate-values";
import { and, eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { encryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import { getNodeOrThrow, lockLiveNode } from "./get-node";
import { issueForNode } from "./issue-for-node";

export type ReissueOptions = {
  revokePrevious?: boolean;
  /** renewal, ca-rotation: goes into the audit row of automatic re-issues. */
  reason?: string;
  /** Sign this CSR: the node keeps its own key and cluster-tls stores none. */
  csrPem?: string;
  /** Lifetime for a CSR; at most (and by default) the cluster's server lifetime. */
  days?: number;
};

/**
 * Re-issues a node's server certificate. The key comes from one of three places:
 * - a CSR (`csrPem`): the node made its own key; every name it asks for must be one of the node's;
 * - the node's current certificate, when that came from a CSR: renewal and CA rotation re-sign the
 *   same public key, since cluster-tls has no private key to hand out and the node already has one;
 * - otherwise a new key, generated here and stored encrypted for the server bundle.
 * The node row is locked, so concurrent re-issues queue: each supersedes whatever is active at its
 * turn, and lineage stays a chain. With revokePrevious the old certificate is revoked (superseded)
 * and the CRL re-signed.
 */
export async function reissueNodeCertificate(db: Database, actor: Actor, keyRing: KeyRing, nodeId: string, options: ReissueOptions = {}) {
  const context = await getNodeOrThrow(db, actor, nodeId);
  const { node, cluster, certificate: current } = context;
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const clusterIssuer = await loadClusterIssuer(db, cluster.id, keyRing.all);
  const keptKeyOf = options.csrPem === undefined && current?.fromCsr ? current : null;
  const issued = await issueForNode(context, clusterIssuer.issuer, options, keptKeyOf?.certificatePem);
  const fromCsr = !issued.privateKeyPem;
  const { certificates } = schema;

  return db.transaction(async (tx) => {
    await lockLiveNode(tx, node);
    const [previous] = await tx
      .select()
      .from(certificates)
      .where(and(eq(certificates.nodeId, node.id), eq(certificates.kind, "server"), eq(certificates.status, "active")));
    // The kept key was read before the lock: if another re-issue got in between, it may be another key now.
    if (keptKeyOf && previous?.id !== keptKeyOf.id) throw new AppError("CONFLICT", `${node.hostname}'s certificate changed while it was being re-issued; try again`);
    const now = new Date();
    if (previous) {
      await tx
        .update(certificates)
        .set(options.revokePrevious ? { status: "revoked", revokedAt: now, revocationReason: "superseded" } : { status: "superseded" })
        .where(eq(certificates.id, previous.id));
    }
    const [certificate] = await tx
      .insert(certificates)
      .values(
        issuedCertificateValues({
          clusterId: cluster.id,
          caId: clusterIssuer.caId,
          kind: "server",
          commonName: node.hostname,
          issued,
          actor,
          encryptedPrivateKey: issued.privateKeyPem ? encryptSecret(issued.privateKeyPem, keyRing.current) : null,
          nodeId: node.id,
          replacesCertificateId: previous?.id ?? null,
          fromCsr,
        }),
      )
      .returning();
    if (options.revokePrevious && previous?.issuerCaId) await regenerateCrl(tx, previous.issuerCaId, keyRing.all, now);
    await recordAuditEvent(tx, actor, {
      action: options.csrPem === undefined ? "node.reissue" : "node.sign_csr",
      objectType: "node",
      objectId: node.id,
      clusterId: cluster.id,
      details: {
        name: node.hostname,
        serial: issued.serialHex,
        previous: previous?.serialHex ?? null,
        revokedPrevious: Boolean(options.revokePrevious && previous),
        ...(fromCsr ? { key: options.csrPem === undefined ? "kept (node's own key)" : "from CSR" } : {}),
        ...(options.reason ? { reason: options.reason } : {}),
      },
    });
    return { node, certificate: certificate!, previousSerial: previous?.serialHex ?? null, chainPem: clusterIssuer.chainPem };
  });
}

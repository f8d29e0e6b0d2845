import "server-only";
import { issuedCertificateValues } from "@/lib/services/certificates/issued-certificate-values";
import { and, eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { issueServerCertificate, parseCertificate } from "@/lib/pki";
import { encryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import { getNodeOrThrow, lockLiveNode } from "./get-node";

/**
 * Re-issues a node's server certificate with a new key. The node row is locked, so concurrent
 * re-issues queue: each supersedes whatever is active at its turn, and lineage stays a chain.
 * With revokePrevious the old certificate is revoked (superseded) and the CRL re-signed.
 * `reason` (renewal, ca-rotation) goes into the audit row of automatic re-issues.
 */
export async function reissueNodeCertificate(db: Database, actor: Actor, keyRing: KeyRing, nodeId: string, { revokePrevious = false, reason }: { revokePrevious?: boolean; reason?: string } = {}) {
  const { node, cluster } = await getNodeOrThrow(db, actor, nodeId);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const { caId, issuer } = await loadClusterIssuer(db, cluster.id, keyRing.all);
  const issued = await issueServerCertificate({
    issuer,
    days: cluster.serverCertDays,
    dnsNames: [...new Set([node.hostname, ...node.dnsNames, ...cluster.sharedDnsNames])],
    ipAddresses: node.ipAddresses,
    subjectTemplate: cluster.subjectTemplate,
    key: { generate: cluster.keyAlgorithm },
  });
  const parsed = await parseCertificate(issued.certificateDer);
  const { certificates } = schema;

  return db.transaction(async (tx) => {
    await lockLiveNode(tx, node);
    const [previous] = await tx
      .select()
      .from(certificates)
      .where(and(eq(certificates.nodeId, node.id), eq(certificates.kind, "server"), eq(certificates.status, "active")));
    const now = new Date();
    if (previous) {
      await tx
        .update(certificates)
        .set(revokePrevious ? { status: "revoked", revokedAt: now, revocationReason: "superseded" } : { status: "superseded" })
        .where(eq(certificates.id, previous.id));
    }
    const [certificate] = await tx
      .insert(certificates)
      .values(
        issuedCertificateValues({
          clusterId: cluster.id,
          caId,
          kind: "server",
          commonName: node.hostname,
          issued,
          parsed,
          actor,
          encryptedPrivateKey: encryptSecret(issued.privateKeyPem!, keyRing.current),
          nodeId: node.id,
          replacesCertificateId: previous?.id ?? null,
        }),
      )
      .returning();
    if (revokePrevious && previous?.issuerCaId) await regenerateCrl(tx, previous.issuerCaId, keyRing.all, now);
    await recordAuditEvent(tx, actor, {
      action: "node.reissue",
      objectType: "node",
      objectId: node.id,
      clusterId: cluster.id,
      details: { name: node.hostname, serial: issued.serialHex, previous: previous?.serialHex ?? null, revokedPrevious: Boolean(revokePrevious && previous), ...(reason ? { reason } : {}) },
    });
    return { node, certificate: certificate!, previousSerial: previous?.serialHex ?? null };
  });
}

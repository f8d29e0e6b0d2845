import "server-only";
import { and, inArray, isNull } from "drizzle-orm";
import { schema, type Transaction } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import type { IssuedLeaf } from "@/lib/pki";
import { encryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvents } from "@/lib/services/audit/record-audit-event";
import { issuedCertificateValues } from "@/lib/services/certificates/issued-certificate-values";
import { recordNodeClientCertificates } from "@/lib/services/certificates/node-client-certificate";
import type { ClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";

/** One node's new server certificate, and the active one it replaces (read under the node's lock). */
export type Reissue = {
  node: { id: string; hostname: string };
  leaf: IssuedLeaf;
  previous: { id: string; serialHex: string; issuerCaId: string | null } | null;
  /** node.reissue unless said otherwise (a CSR upload is node.sign_csr). */
  action?: "node.reissue" | "node.sign_csr";
  /** Extra audit details of this node's row. */
  details?: Record<string, unknown>;
  /** The node's own new client certificate (a replica's replication login, PgBouncer's backend login). */
  client?: { databaseUser: string; leaf: IssuedLeaf } | null;
};

type RecordParams = { clusterId: string; clusterIssuer: ClusterIssuer; reissues: Reissue[]; revokePrevious?: boolean; reason?: string };

/**
 * The writes of a re-issue, for one node or a chunk of many, in the caller's transaction after it
 * locked the node rows: previous certificates superseded (or revoked, with each CA's CRL re-signed
 * once), the new ones inserted with their lineage and encrypted key, the nodes' own client
 * certificates renewed with them (superseded, never revoked: replication keeps running until the
 * new bundle is installed), one audit row per node.
 * Returns the new certificate rows in the order of `reissues`.
 */
export async function recordReissues(
  tx: Transaction,
  actor: Actor,
  keyRing: KeyRing,
  { clusterId, clusterIssuer, reissues, revokePrevious = false, reason }: RecordParams,
) {
  const { certificates } = schema;
  if (reissues.length === 0) return [];
  const now = new Date();
  const replaced = reissues.flatMap((r) => r.previous ?? []);
  if (replaced.length > 0) {
    await tx
      .update(certificates)
      .set(revokePrevious ? { status: "revoked", revokedAt: now, revocationReason: "superseded" } : { status: "superseded" })
      .where(
        inArray(
          certificates.id,
          replaced.map((c) => c.id),
        ),
      );
  }
  const inserted = await tx
    .insert(certificates)
    .values(
      reissues.map(({ node, leaf, previous }) =>
        issuedCertificateValues({
          clusterId,
          caId: clusterIssuer.caId,
          kind: "server",
          commonName: node.hostname,
          issued: leaf,
          actor,
          encryptedPrivateKey: leaf.privateKeyPem ? encryptSecret(leaf.privateKeyPem, keyRing.current) : null,
          nodeId: node.id,
          replacesCertificateId: previous?.id ?? null,
          fromCsr: !leaf.privateKeyPem,
        }),
      ),
    )
    .returning();
  const clients = await recordNodeClientCertificates(tx, actor, keyRing, {
    clusterId,
    caId: clusterIssuer.caId,
    issues: reissues.flatMap(({ node, client }) => (client ? [{ nodeId: node.id, ...client }] : [])),
  });
  // A node with an agent makes a new key of its own: renewal, Re-issue and a rotation's re-issue
  // step ask it to (the re-signed certificate above keeps it working until its CSR arrives).
  const renewed = reissues.filter((r) => r.action !== "node.sign_csr").map((r) => r.node.id);
  if (renewed.length > 0) {
    const { nodeAgents } = schema;
    await tx
      .update(nodeAgents)
      .set({ renewalRequestedAt: now })
      .where(and(inArray(nodeAgents.nodeId, renewed), isNull(nodeAgents.renewalRequestedAt)));
  }
  if (revokePrevious) {
    for (const caId of new Set(replaced.flatMap((c) => c.issuerCaId ?? []))) await regenerateCrl(tx, caId, keyRing.all, now);
  }
  await recordAuditEvents(
    tx,
    actor,
    reissues.map(({ node, leaf, previous, client, action = "node.reissue", details }) => ({
      action,
      objectType: "node",
      objectId: node.id,
      clusterId,
      details: {
        name: node.hostname,
        serial: leaf.serialHex,
        previous: previous?.serialHex ?? null,
        revokedPrevious: Boolean(revokePrevious && previous),
        ...(client ? { clientCertificate: { user: client.databaseUser, serial: clients.get(node.id) } } : {}),
        ...details,
        ...(reason ? { reason } : {}),
      },
    })),
  );
  // PostgreSQL does not promise that INSERT … RETURNING yields rows in VALUES order: map them back
  // by serial, unique under the one issuing CA (certificates_issuer_serial_key).
  const bySerial = new Map(inserted.map((row) => [row.serialHex, row]));
  return reissues.map(({ leaf }) => {
    const row = bySerial.get(leaf.serialHex);
    if (!row) throw new Error(`certificate ${leaf.serialHex} was not returned by its INSERT`);
    return row;
  });
}

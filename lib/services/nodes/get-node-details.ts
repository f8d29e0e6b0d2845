import "server-only";
import { alias } from "drizzle-orm/pg-core";
import { desc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { getNodeOrThrow } from "./get-node";

/**
 * What the node page shows: the node, its cluster, and every certificate it ever held, newest
 * first, each with its issuer's subject. The active server certificate heads the list; the rest
 * is its lineage (superseded and revoked predecessors, replication/pooler client certificates).
 */
export async function getNodeDetails(db: Executor, actor: Actor, nodeId: string) {
  const { node, cluster } = await getNodeOrThrow(db, actor, nodeId);
  const { certificates, certificateAuthorities: cas } = schema;
  const issuerCertificate = alias(certificates, "issuer_certificate");
  const history = await db
    .select({
      id: certificates.id,
      kind: certificates.kind,
      status: certificates.status,
      serialHex: certificates.serialHex,
      subject: certificates.subject,
      commonName: certificates.commonName,
      dnsNames: certificates.dnsNames,
      ipAddresses: certificates.ipAddresses,
      keyAlgorithm: certificates.keyAlgorithm,
      notBefore: certificates.notBefore,
      notAfter: certificates.notAfter,
      fingerprintSha256: certificates.fingerprintSha256,
      revokedAt: certificates.revokedAt,
      revocationReason: certificates.revocationReason,
      replacesCertificateId: certificates.replacesCertificateId,
      fromCsr: certificates.fromCsr,
      createdAt: certificates.createdAt,
      issuerSubject: issuerCertificate.subject,
    })
    .from(certificates)
    .leftJoin(cas, eq(cas.id, certificates.issuerCaId))
    .leftJoin(issuerCertificate, eq(issuerCertificate.id, cas.certificateId))
    .where(eq(certificates.nodeId, node.id))
    .orderBy(desc(certificates.createdAt));
  const current = history.find((c) => c.kind === "server" && c.status === "active") ?? null;
  return { node, cluster, current, history };
}

export type NodeCertificate = Awaited<ReturnType<typeof getNodeDetails>>["history"][number];

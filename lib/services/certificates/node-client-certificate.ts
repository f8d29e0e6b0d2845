import "server-only";
import { and, eq } from "drizzle-orm";
import { schema, type Transaction } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { issueClientCertificate, type KeyAlgorithm } from "@/lib/pki";
import type { SubjectTemplate } from "@/lib/db/schema/clusters";
import type { ClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { issuedCertificateValues } from "./issued-certificate-values";

type NodeClientParams = {
  cluster: { id: string; clientCertDays: number; keyAlgorithm: KeyAlgorithm; subjectTemplate: SubjectTemplate };
  issuer: ClusterIssuer;
  nodeId: string;
  databaseUser: string;
  actor: Actor;
};

/**
 * A client certificate a node uses itself (a replica's replication login, PgBouncer's backend
 * login), issued for one bundle download: the key goes into the zip and is not stored. Returns
 * the PEM files and `record`, which writes the row inside the caller's transaction and marks the
 * node's previous one for the same role superseded (it keeps working until the new one is installed).
 */
export async function issueNodeClientCertificate({ cluster, issuer, nodeId, databaseUser, actor }: NodeClientParams) {
  const issued = await issueClientCertificate({ issuer: issuer.issuer, days: cluster.clientCertDays, databaseUser, subjectTemplate: cluster.subjectTemplate, key: { generate: cluster.keyAlgorithm } });
  const { certificates } = schema;
  return {
    serialHex: issued.serialHex,
    certificatePem: [issued.certificatePem, ...issuer.chainPem].join(""),
    privateKeyPem: issued.privateKeyPem!,
    record: async (tx: Transaction) => {
      const previous = and(eq(certificates.nodeId, nodeId), eq(certificates.kind, "client"), eq(certificates.databaseUser, databaseUser), eq(certificates.status, "active"));
      const [replaced] = await tx.update(certificates).set({ status: "superseded" }).where(previous).returning({ id: certificates.id });
      await tx
        .insert(certificates)
        .values(issuedCertificateValues({ clusterId: cluster.id, caId: issuer.caId, kind: "client", commonName: databaseUser, issued, actor, databaseUser, nodeId, replacesCertificateId: replaced?.id ?? null }));
    },
  };
}

import "server-only";
import { desc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { splitChain, type Issuer } from "@/lib/pki";
import type { MasterKey } from "@/lib/secrets/master-key";
import { openCaIssuer } from "./ca-signer";
import { activeCaOf } from "@/lib/services/queries/cluster-cas";

export type ClusterIssuer = { caId: string; issuer: Issuer; chainPem: string[] };

/** The cluster row a use case already holds (its scope), or just its id when it holds none. */
type IssuingCluster = string | { id: string; name: string; archivedAt: Date | null };

/**
 * The cluster's signing CA with its key decrypted, ready for lib/pki; the key stays in memory
 * only. Every issuance goes through here, so an archived cluster is refused here.
 */
export async function loadClusterIssuer(db: Executor, issuing: IssuingCluster, keys: readonly MasterKey[]): Promise<ClusterIssuer> {
  const { certificateAuthorities: cas, certificates, clusters } = schema;
  const clusterId = typeof issuing === "string" ? issuing : issuing.id;
  const [cluster] =
    typeof issuing === "string"
      ? await db.select({ name: clusters.name, archivedAt: clusters.archivedAt }).from(clusters).where(eq(clusters.id, clusterId))
      : [issuing];
  if (cluster?.archivedAt) throw new AppError("CONFLICT", `${cluster.name} is archived: it issues no more certificates`);
  const [ca] = await db
    .select({
      id: cas.id,
      envelope: cas.encryptedPrivateKey,
      certificatePem: certificates.certificatePem,
      externalChainPem: cas.externalChainPem,
      kind: cas.kind,
    })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .where(activeCaOf(clusterId))
    .orderBy(desc(cas.createdAt))
    .limit(1);
  if (!ca) {
    const [request] = await db
      .select({ id: schema.caRequests.id })
      .from(schema.caRequests)
      .where(eq(schema.caRequests.clusterId, clusterId));
    if (request)
      throw new AppError(
        "CONFLICT",
        `${cluster?.name ?? "the cluster"} is waiting for its intermediate CA: upload the certificate the external root signed first`,
      );
    throw new AppError("CONFLICT", "the cluster has no active certificate authority");
  }
  const issuer = await openCaIssuer(ca, keys);
  // Intermediates go into server.crt after the leaf; a root never does (clients have it in root.crt).
  const chainPem = ca.kind === "intermediate" ? [ca.certificatePem, ...splitChain(ca.externalChainPem).intermediates] : [];
  return { caId: ca.id, issuer, chainPem };
}

import "server-only";
import { asc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { splitChain } from "@/lib/pki";
import { resolveClusterScope } from "./resolve-cluster-scope";
import { trustedCasOf } from "@/lib/services/queries/cluster-cas";

/**
 * root.crt for a cluster: every CA certificate clients must trust now — the active CA and,
 * during a rotation, the retiring one too, so old and new leaves both verify. An intermediate
 * under an external root is represented by that root: PostgreSQL and libpq need a self-signed
 * anchor, and the intermediate travels in server.crt/client.crt.
 */
export async function getTrustBundle(db: Executor, actor: Actor, clusterRef: string): Promise<{ clusterName: string; pem: string }> {
  const { cluster } = await resolveClusterScope(db, actor, clusterRef);
  return readTrustBundle(db, cluster);
}

/** root.crt for a cluster the caller has already resolved (and checked the actor against). */
export async function readTrustBundle(db: Executor, cluster: { id: string; name: string }): Promise<{ clusterName: string; pem: string }> {
  const { certificateAuthorities: cas, certificates } = schema;
  const rows = await db
    .select({ pem: certificates.certificatePem, kind: cas.kind, externalChainPem: cas.externalChainPem })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .where(trustedCasOf(cluster.id))
    .orderBy(asc(cas.createdAt));
  const anchors = rows.flatMap((r) => (r.kind === "root" ? [r.pem] : splitChain(r.externalChainPem).roots));
  return { clusterName: cluster.name, pem: [...new Set(anchors)].join("") };
}

import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { TRUSTED_CA_STATES } from "@/lib/db/schema/enums";
import type { Actor } from "@/lib/access/actor";
import { getClusterOrThrow } from "./get-cluster";

/**
 * root.crt for a cluster: every CA certificate clients must trust now — the active CA and,
 * during a rotation, the retiring one too, so old and new leaves both verify.
 */
export async function getTrustBundle(db: Executor, actor: Actor, clusterRef: string): Promise<{ clusterName: string; pem: string }> {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const { certificateAuthorities: cas, certificates } = schema;
  const rows = await db
    .select({ pem: certificates.certificatePem })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .where(and(eq(cas.clusterId, cluster.id), inArray(cas.state, TRUSTED_CA_STATES)))
    .orderBy(asc(cas.createdAt));
  return { clusterName: cluster.name, pem: rows.map((r) => r.pem).join("") };
}

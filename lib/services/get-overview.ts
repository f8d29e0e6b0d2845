import "server-only";
import { and, count, eq, gt, inArray, isNull, lte } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Actor } from "@/lib/access/actor";
import { visibleClusterIds } from "@/lib/services/access/visible-cluster-ids";
import { DAY_MS } from "@/lib/format/days";

export type Overview = {
  clusters: number;
  nodes: number;
  activeCertificates: number;
  expiringWithin30Days: number;
  revokedCertificates: number;
};

/** Counts for the Overview page, over the clusters the actor may see. Archived clusters and removed nodes are not counted. */
export async function getOverview(db: Executor, actor: Actor, now = new Date()): Promise<Overview> {
  const { clusters, nodes, certificates } = schema;
  const soon = new Date(now.getTime() + 30 * DAY_MS);
  const visible = await visibleClusterIds(db, actor);
  if (visible !== "all" && visible.length === 0)
    return { clusters: 0, nodes: 0, activeCertificates: 0, expiringWithin30Days: 0, revokedCertificates: 0 };
  const inScope = (column: AnyPgColumn) => (visible === "all" ? undefined : inArray(column, visible));
  const [clusterCount, nodeCount, activeCount, expiringCount, revokedCount] = await Promise.all([
    db
      .select({ n: count() })
      .from(clusters)
      .where(and(isNull(clusters.archivedAt), inScope(clusters.id))),
    db
      .select({ n: count() })
      .from(nodes)
      .where(and(isNull(nodes.removedAt), inScope(nodes.clusterId))),
    db
      .select({ n: count() })
      .from(certificates)
      .where(and(eq(certificates.status, "active"), inScope(certificates.clusterId))),
    db
      .select({ n: count() })
      .from(certificates)
      .where(
        and(
          eq(certificates.status, "active"),
          gt(certificates.notAfter, now),
          lte(certificates.notAfter, soon),
          inScope(certificates.clusterId),
        ),
      ),
    db
      .select({ n: count() })
      .from(certificates)
      .where(and(eq(certificates.status, "revoked"), inScope(certificates.clusterId))),
  ]);
  return {
    clusters: clusterCount[0]?.n ?? 0,
    nodes: nodeCount[0]?.n ?? 0,
    activeCertificates: activeCount[0]?.n ?? 0,
    expiringWithin30Days: expiringCount[0]?.n ?? 0,
    revokedCertificates: revokedCount[0]?.n ?? 0,
  };
}

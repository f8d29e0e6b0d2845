import "server-only";
import { asc, count, eq, isNull, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { isAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { loadGrants } from "@/lib/services/access/load-grants";

export type ClusterSummary = {
  id: string;
  name: string;
  description: string;
  keyAlgorithm: string;
  nodeCount: number;
  createdAt: Date;
};

/** The clusters this actor may see (not archived), by name, with their live node counts. */
export async function listClusters(db: Executor, actor: Actor): Promise<ClusterSummary[]> {
  const { clusters, nodes } = schema;
  const grants = await loadGrants(db, actor);
  const rows = await db
    .select({
      id: clusters.id,
      name: clusters.name,
      description: clusters.description,
      keyAlgorithm: clusters.keyAlgorithm,
      nodeCount: sql<number>`cast(${count(nodes.id)} as int)`,
      createdAt: clusters.createdAt,
    })
    .from(clusters)
    .leftJoin(nodes, sql`${eq(nodes.clusterId, clusters.id)} AND ${isNull(nodes.removedAt)}`)
    .where(isNull(clusters.archivedAt))
    .groupBy(clusters.id)
    .orderBy(asc(clusters.name));
  return rows.filter((c) => isAllowed(actor, "cluster:read", { clusterId: c.id, grants }));
}

import "server-only";
import { asc, count, eq, isNull, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

export type ClusterSummary = {
  id: string;
  name: string;
  description: string;
  keyAlgorithm: string;
  nodeCount: number;
  createdAt: Date;
};

/** Clusters that are not archived, by name, with their live node counts. */
export async function listClusters(db: Executor): Promise<ClusterSummary[]> {
  const { clusters, nodes } = schema;
  return db
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
}

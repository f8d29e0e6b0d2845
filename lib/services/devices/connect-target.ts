import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

type ClusterConnectSettings = Pick<
  typeof schema.clusters.$inferSelect,
  "id" | "connectThrough" | "connectNodeId" | "connectHost" | "connectPort" | "connectDbname"
>;
export type ConnectTarget = { host: string; port: number; dbname: string };

/** The PgBouncer nodes "Connect through" may name. */
export async function listPgBouncerNodes(db: Executor, clusterId: string) {
  const { nodes } = schema;
  return db
    .select({ id: nodes.id, hostname: nodes.hostname })
    .from(nodes)
    .where(and(eq(nodes.clusterId, clusterId), eq(nodes.role, "pgbouncer"), isNull(nodes.removedAt)))
    .orderBy(asc(nodes.hostname));
}

/**
 * Where `cluster-tls connect` points libpq, from the cluster's "Connect through" setting: the
 * primary node (its hostname and port — a name its server certificate carries, so verify-full
 * holds), a PgBouncer node, or a shared name and port (a VIP or service name, which every server
 * certificate of the cluster carries). Null when the setting names nothing that exists yet.
 */
export async function connectTarget(db: Executor, cluster: ClusterConnectSettings): Promise<ConnectTarget | null> {
  const dbname = cluster.connectDbname;
  if (cluster.connectThrough === "shared") {
    return cluster.connectHost ? { host: cluster.connectHost, port: cluster.connectPort ?? 5432, dbname } : null;
  }
  const { nodes } = schema;
  const where =
    cluster.connectThrough === "pgbouncer" && cluster.connectNodeId
      ? and(eq(nodes.id, cluster.connectNodeId), eq(nodes.clusterId, cluster.id), isNull(nodes.removedAt))
      : and(
          eq(nodes.clusterId, cluster.id),
          eq(nodes.role, cluster.connectThrough === "pgbouncer" ? "pgbouncer" : "primary"),
          isNull(nodes.removedAt),
        );
  const [node] = await db
    .select({ hostname: nodes.hostname, port: nodes.port })
    .from(nodes)
    .where(where)
    .orderBy(asc(nodes.createdAt))
    .limit(1);
  return node ? { host: node.hostname, port: node.port, dbname } : null;
}

import "server-only";
import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { PGBOUNCER_CLIENT_CN } from "@/lib/bundles/server-snippets";

/**
 * What a node's bundle needs to know about the rest of its cluster: where a replica streams
 * from, whether a PgBouncer authenticates by certificate, and which roles it pools (the database
 * users granted to people plus those holding active client certificates).
 */
export async function loadTopology(db: Executor, cluster: { id: string; sharedDnsNames: string[]; replicationUser: string }) {
  const { nodes, clusterAccess, certificates } = schema;
  const live = and(eq(nodes.clusterId, cluster.id), isNull(nodes.removedAt));
  const [primaries, poolers, granted, issued] = await Promise.all([
    db
      .select({ hostname: nodes.hostname, port: nodes.port })
      .from(nodes)
      .where(and(live, eq(nodes.role, "primary")))
      .orderBy(asc(nodes.createdAt))
      .limit(1),
    db
      .select({ id: nodes.id })
      .from(nodes)
      .where(and(live, eq(nodes.role, "pgbouncer")))
      .limit(1),
    db.select({ users: clusterAccess.databaseUsers }).from(clusterAccess).where(eq(clusterAccess.clusterId, cluster.id)),
    db
      .selectDistinct({ user: certificates.databaseUser })
      .from(certificates)
      .where(
        and(
          eq(certificates.clusterId, cluster.id),
          eq(certificates.kind, "client"),
          eq(certificates.status, "active"),
          isNotNull(certificates.databaseUser),
          sql`${certificates.nodeId} IS NULL`,
        ),
      ),
  ]);
  const notPooled = new Set([cluster.replicationUser, PGBOUNCER_CLIENT_CN]);
  const pooledUsers = [...new Set([...granted.flatMap((g) => g.users), ...issued.map((i) => i.user!)])]
    .filter((u) => !notPooled.has(u))
    .sort();
  return {
    primaryHost: primaries[0]?.hostname ?? cluster.sharedDnsNames[0] ?? null,
    primaryPort: primaries[0]?.port ?? 5432,
    withPgbouncer: poolers.length > 0,
    pooledUsers,
  };
}

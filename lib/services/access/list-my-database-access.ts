import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";

export type DatabaseAccess = {
  clusterId: string;
  clusterName: string;
  description: string;
  /** The cluster's client certificate lifetime: the bundle form's default and maximum. */
  clientCertDays: number;
  /** The database users this person may download a client bundle for, as granted. */
  databaseUsers: string[];
};

/**
 * A signed-in developer's grants as their start page shows them: each cluster (archived ones
 * issue nothing more and are left out) with the database users they may use. Other roles are
 * granted nothing per cluster, so they get an empty list.
 */
export async function listMyDatabaseAccess(db: Executor, actor: Actor): Promise<DatabaseAccess[]> {
  if (actor.type !== "user" || actor.role !== "developer") return [];
  const { clusterAccess: access, clusters } = schema;
  const rows = await db
    .select({
      clusterId: clusters.id,
      clusterName: clusters.name,
      description: clusters.description,
      clientCertDays: clusters.clientCertDays,
      databaseUsers: access.databaseUsers,
    })
    .from(access)
    .innerJoin(clusters, eq(clusters.id, access.clusterId))
    .where(and(eq(access.userId, actor.id), isNull(clusters.archivedAt)))
    .orderBy(asc(clusters.name));
  return rows.map((row) => ({ ...row, databaseUsers: [...row.databaseUsers].sort() }));
}

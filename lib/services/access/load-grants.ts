import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import type { ClusterGrant } from "@/lib/access/permissions";

/**
 * A developer's per-cluster grants (admins and auditors need none). A developer *token* carries
 * the grants of the developer it acts for, as they are now, narrowed by its cluster scope. A
 * developer token made before tokens had owners reads the clusters it is scoped to, nothing more.
 */
export async function loadGrants(db: Executor, actor: Actor): Promise<ClusterGrant[]> {
  if (actor.type === "token" && actor.role === "developer") {
    if (!actor.userId) return actor.clusterIds.map((clusterId) => ({ clusterId, databaseUsers: [] }));
    const grants = await grantsOf(db, actor.userId);
    return actor.clusterIds.length === 0 ? grants : grants.filter((g) => actor.clusterIds.includes(g.clusterId));
  }
  if (actor.type === "device" && actor.role === "developer") {
    const grants = await grantsOf(db, actor.userId);
    return actor.clusterIds.length === 0 ? grants : grants.filter((g) => actor.clusterIds.includes(g.clusterId));
  }
  if (actor.type !== "user" || actor.role !== "developer") return [];
  return grantsOf(db, actor.id);
}

function grantsOf(db: Executor, userId: string): Promise<ClusterGrant[]> {
  return db
    .select({ clusterId: schema.clusterAccess.clusterId, databaseUsers: schema.clusterAccess.databaseUsers })
    .from(schema.clusterAccess)
    .where(eq(schema.clusterAccess.userId, userId));
}

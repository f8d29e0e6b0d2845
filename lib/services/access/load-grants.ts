import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import type { ClusterGrant } from "@/lib/access/permissions";

/**
 * A developer's per-cluster grants (admins and auditors need none). A developer *token* is granted
 * exactly the clusters it is scoped to, for reading.
 */
export async function loadGrants(db: Executor, actor: Actor): Promise<ClusterGrant[]> {
  if (actor.type === "token" && actor.role === "developer") {
    return actor.clusterIds.map((clusterId) => ({ clusterId, databaseUsers: [] }));
  }
  if (actor.type !== "user" || actor.role !== "developer") return [];
  return db
    .select({ clusterId: schema.clusterAccess.clusterId, databaseUsers: schema.clusterAccess.databaseUsers })
    .from(schema.clusterAccess)
    .where(eq(schema.clusterAccess.userId, actor.id));
}

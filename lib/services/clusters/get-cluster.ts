import "server-only";
import { eq, or, sql, type SQL } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import { concealed } from "@/lib/access/access-refused";
import type { Actor } from "@/lib/access/actor";
import { loadGrants } from "@/lib/services/access/load-grants";
import { containsNul } from "@/lib/validations/postgres-text";
import { isUuid } from "@/lib/validations/uuid";

/** WHERE for a cluster named by id or name (a name that is not a UUID is never cast to one). */
export function clusterRefCondition(ref: string): SQL | undefined {
  const { clusters } = schema;
  // No name holds a NUL (PostgreSQL text refuses U+0000; as a parameter it fails the query).
  if (containsNul(ref)) return sql`false`;
  return isUuid(ref) ? or(eq(clusters.id, ref), eq(clusters.name, ref)) : eq(clusters.name, ref);
}

/** "Not found" unless the actor may see the cluster: no existence leak. */
export async function assertClusterVisible(db: Executor, actor: Actor, clusterId: string, ref: string): Promise<void> {
  try {
    assertAllowed(actor, "cluster:read", { clusterId, grants: await loadGrants(db, actor) });
  } catch (error) {
    throw concealed(error, `cluster ${JSON.stringify(ref)} not found`);
  }
}

/** A cluster by id or name, if the actor may see it; "not found" otherwise (no existence leak). */
export async function getClusterOrThrow(db: Executor, actor: Actor, ref: string) {
  const [cluster] = await db.select().from(schema.clusters).where(clusterRefCondition(ref));
  if (!cluster) throw new AppError("NOT_FOUND", `cluster ${JSON.stringify(ref)} not found`);
  await assertClusterVisible(db, actor, cluster.id, ref);
  return cluster;
}

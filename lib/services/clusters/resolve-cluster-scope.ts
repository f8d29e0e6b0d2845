import "server-only";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed, type ClusterGrant, type Permission } from "@/lib/access/permissions";
import { concealed } from "@/lib/access/access-refused";
import type { Actor } from "@/lib/access/actor";
import { loadGrants } from "@/lib/services/access/load-grants";
import { clusterRefCondition } from "./cluster-ref";

export type ClusterRow = typeof schema.clusters.$inferSelect;

/**
 * Everything a use case needs to decide what an actor may do in one cluster: the cluster row and
 * the actor's grants, each read once at the use case's entry and handed down, so inner steps
 * (the issuer, root.crt, the grant check) neither re-read them nor check the permission again.
 */
export type ClusterScope = { cluster: ClusterRow; actor: Actor; grants: ClusterGrant[] };

/** The scope of a cluster named by id or name; "not found" unless the actor may see it (no existence leak). */
export async function resolveClusterScope(db: Executor, actor: Actor, ref: string): Promise<ClusterScope> {
  const [cluster] = await db.select().from(schema.clusters).where(clusterRefCondition(ref));
  if (!cluster) throw new AppError("NOT_FOUND", `cluster ${JSON.stringify(ref)} not found`);
  const grants = await loadGrants(db, actor);
  try {
    assertAllowed(actor, "cluster:read", { clusterId: cluster.id, grants });
  } catch (error) {
    throw concealed(error, `cluster ${JSON.stringify(ref)} not found`);
  }
  return { cluster, actor, grants };
}

/** A permission inside the scope's cluster, checked with the grants the scope already holds. */
export function assertScopeAllows(scope: ClusterScope, permission: Permission, context: { databaseUser?: string } = {}): void {
  assertAllowed(scope.actor, permission, { clusterId: scope.cluster.id, grants: scope.grants, ...context });
}

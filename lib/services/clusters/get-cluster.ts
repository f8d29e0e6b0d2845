import "server-only";
import type { Executor } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import { concealed } from "@/lib/access/access-refused";
import type { Actor } from "@/lib/access/actor";
import { loadGrants } from "@/lib/services/access/load-grants";
import { resolveClusterScope } from "./resolve-cluster-scope";

export { clusterRefCondition } from "./cluster-ref";

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
  return (await resolveClusterScope(db, actor, ref)).cluster;
}

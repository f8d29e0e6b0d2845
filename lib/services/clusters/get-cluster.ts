import "server-only";
import { eq, or } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { loadGrants } from "@/lib/services/access/load-grants";
import { isUuid } from "@/lib/validations/uuid";

/** A cluster by id or name, if the actor may see it; "not found" otherwise (no existence leak). */
export async function getClusterOrThrow(db: Executor, actor: Actor, ref: string) {
  const { clusters } = schema;
  const [cluster] = await db
    .select()
    .from(clusters)
    .where(isUuid(ref) ? or(eq(clusters.id, ref), eq(clusters.name, ref)) : eq(clusters.name, ref));
  if (!cluster) throw new AppError("NOT_FOUND", `cluster ${JSON.stringify(ref)} not found`);
  try {
    assertAllowed(actor, "cluster:read", { clusterId: cluster.id, grants: await loadGrants(db, actor) });
  } catch {
    throw new AppError("NOT_FOUND", `cluster ${JSON.stringify(ref)} not found`);
  }
  return cluster;
}

import "server-only";
import { asc, isNull } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { isAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { loadGrants } from "@/lib/services/access/load-grants";

export type ClusterView = {
  id: string;
  name: string;
  description: string;
  keyAlgorithm: string;
  createdAt: string;
};

/** The clusters this actor may see, by name: all for admins and auditors, granted ones for developers. */
export async function listVisibleClusters(db: Executor, actor: Actor): Promise<ClusterView[]> {
  const grants = await loadGrants(db, actor);
  const rows = await db.select().from(schema.clusters).where(isNull(schema.clusters.archivedAt)).orderBy(asc(schema.clusters.name));
  return rows
    .filter((c) => isAllowed(actor, "cluster:read", { clusterId: c.id, grants }))
    .map((c) => ({ id: c.id, name: c.name, description: c.description, keyAlgorithm: c.keyAlgorithm, createdAt: c.createdAt.toISOString() }));
}

import "server-only";
import type { Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { actorRole } from "@/lib/access/actor";
import { loadGrants } from "./load-grants";

/**
 * The clusters an actor may read, for filtering lists in SQL: "all" for admins and auditors
 * (within a token's scope), otherwise the granted ids (possibly none).
 */
export async function visibleClusterIds(db: Executor, actor: Actor): Promise<"all" | string[]> {
  const role = actorRole(actor);
  if (role === null) return [];
  if (role === "developer") return (await loadGrants(db, actor)).map((g) => g.clusterId);
  if ((actor.type === "token" || actor.type === "device") && actor.clusterIds.length > 0) return actor.clusterIds;
  return "all";
}

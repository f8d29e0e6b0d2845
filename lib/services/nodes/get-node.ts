import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";

/** A live node with its cluster (the actor must be able to see the cluster) and active server certificate. */
export async function getNodeOrThrow(db: Executor, actor: Actor, nodeId: string) {
  const { nodes, certificates } = schema;
  const found = /^[0-9a-f-]{36}$/i.test(nodeId)
    ? await db.select().from(nodes).where(and(eq(nodes.id, nodeId), isNull(nodes.removedAt)))
    : [];
  const node = found[0];
  if (!node) throw new AppError("NOT_FOUND", `node ${nodeId} not found`);
  const cluster = await getClusterOrThrow(db, actor, node.clusterId).catch(() => {
    throw new AppError("NOT_FOUND", `node ${nodeId} not found`);
  });
  const [certificate] = await db
    .select()
    .from(certificates)
    .where(and(eq(certificates.nodeId, node.id), eq(certificates.kind, "server"), eq(certificates.status, "active")));
  return { node, cluster, certificate: certificate ?? null };
}

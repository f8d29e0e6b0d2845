import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { schema, type Executor, type Transaction } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { concealed } from "@/lib/access/access-refused";
import { resolveClusterScope } from "@/lib/services/clusters/resolve-cluster-scope";
import { isUuid } from "@/lib/validations/uuid";
import { findActiveServerCertificate } from "@/lib/services/queries/node-certificates";

/**
 * A live node with its cluster scope (the actor must be able to see the cluster: the cluster row and
 * the grants, read once for the whole use case) and its active server certificate.
 */
export async function getNodeOrThrow(db: Executor, actor: Actor, nodeId: string) {
  const { nodes } = schema;
  const found = isUuid(nodeId)
    ? await db
        .select()
        .from(nodes)
        .where(and(eq(nodes.id, nodeId), isNull(nodes.removedAt)))
    : [];
  const node = found[0];
  if (!node) throw new AppError("NOT_FOUND", `node ${nodeId} not found`);
  const scope = await resolveClusterScope(db, actor, node.clusterId).catch((error: unknown) => {
    throw concealed(error, `node ${nodeId} not found`);
  });
  return { node, cluster: scope.cluster, scope, certificate: await findActiveServerCertificate(db, node.id) };
}

/**
 * Locks a node row for the rest of the transaction and makes sure it was not removed meanwhile:
 * writers to a node's certificates (re-issue, removal) run one after another, never on a gone node.
 */
export async function lockLiveNode(tx: Transaction, node: { id: string; hostname: string }) {
  const [locked] = await tx
    .select({ removedAt: schema.nodes.removedAt })
    .from(schema.nodes)
    .where(eq(schema.nodes.id, node.id))
    .for("update");
  if (!locked || locked.removedAt) throw new AppError("NOT_FOUND", `node ${node.hostname} was removed`);
}

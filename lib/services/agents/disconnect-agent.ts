import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { AppError } from "@/lib/errors/app-error";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { getNodeOrThrow } from "@/lib/services/nodes/get-node";
import { holdsServerKey } from "@/lib/services/queries/node-certificates";

/**
 * "Disconnect": deletes the node's agent row, so its node credential is refused from the next
 * request on (credentials are looked up by hash in that row). The files on the node stay as they
 * are. Once the agent's install was confirmed cluster-tls holds no key for the node: a Re-issue
 * is needed before the dashboard can hand out a server bundle for it again — the result says so.
 */
export async function disconnectAgent(db: Database, actor: Actor, nodeId: string) {
  const { node, cluster } = await getNodeOrThrow(db, actor, nodeId);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const { nodeAgents: agents } = schema;
  return db.transaction(async (tx) => {
    const [agent] = await tx
      .delete(agents)
      .where(eq(agents.nodeId, node.id))
      .returning({ id: agents.id, prefix: agents.credentialPrefix, firstConfirmedAt: agents.firstConfirmedAt });
    if (!agent) throw new AppError("NOT_FOUND", `no agent is connected to ${node.hostname}`);
    const reissueNeeded = !(await holdsServerKey(tx, node.id));
    await recordAuditEvent(tx, actor, {
      action: "agent.disconnect",
      objectType: "node",
      objectId: node.id,
      clusterId: cluster.id,
      details: {
        hostname: node.hostname,
        credentialPrefix: agent.prefix,
        confirmedInstall: agent.firstConfirmedAt !== null,
        reissueNeeded,
      },
    });
    return { nodeId: node.id, hostname: node.hostname, credentialPrefix: agent.prefix, reissueNeeded };
  });
}

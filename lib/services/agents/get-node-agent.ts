import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { getNodeOrThrow } from "@/lib/services/nodes/get-node";

/** The node's agent as the node page shows it (never its credential), or null when none enrolled. */
export async function getNodeAgent(db: Executor, actor: Actor, nodeId: string) {
  const { node } = await getNodeOrThrow(db, actor, nodeId);
  const { nodeAgents: agents } = schema;
  const [agent] = await db
    .select({ prefix: agents.credentialPrefix, enrolledAt: agents.enrolledAt, renewalRequestedAt: agents.renewalRequestedAt, firstConfirmedAt: agents.firstConfirmedAt, lastStatus: agents.lastStatus, lastStatusAt: agents.lastStatusAt })
    .from(agents)
    .where(eq(agents.nodeId, node.id));
  return agent ?? null;
}

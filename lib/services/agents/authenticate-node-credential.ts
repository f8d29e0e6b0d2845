import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { assertNotThrottled, refuse } from "./agent-failures";
import { isWellFormedNodeCredential, sameHash, sha256Hex } from "./agent-secrets";

type RequestInfo = { ipAddress: string | null; userAgent: string | null };

/**
 * A node credential (`ctlsn_…`) → the Actor of that node's agent. A removed node's agent is
 * refused: its certificates are revoked and it has nothing left to install.
 */
export async function authenticateNodeCredential(
  db: Database,
  credential: string,
  request: RequestInfo,
): Promise<Extract<Actor, { type: "node" }>> {
  assertNotThrottled(request.ipAddress, "node credentials");
  if (!isWellFormedNodeCredential(credential))
    refuse(request.ipAddress, new AppError("UNAUTHENTICATED", "malformed node credential (expected ctlsn_<prefix>_<secret>)"));
  const hash = sha256Hex(credential);
  const { nodeAgents, nodes } = schema;
  const [row] = await db
    .select({
      id: nodeAgents.id,
      hash: nodeAgents.credentialHash,
      prefix: nodeAgents.credentialPrefix,
      nodeId: nodes.id,
      clusterId: nodes.clusterId,
      hostname: nodes.hostname,
      removedAt: nodes.removedAt,
    })
    .from(nodeAgents)
    .innerJoin(nodes, eq(nodes.id, nodeAgents.nodeId))
    .where(eq(nodeAgents.credentialHash, hash));
  if (!row || !sameHash(row.hash, hash))
    return refuse(request.ipAddress, new AppError("UNAUTHENTICATED", "unknown node credential (enrolled again since, or never enrolled)"));
  if (row.removedAt)
    throw new AppError(
      "UNAUTHENTICATED",
      `node ${row.hostname} was removed on ${row.removedAt.toISOString()}; its agent has nothing left to do`,
    );
  return {
    type: "node",
    id: row.id,
    nodeId: row.nodeId,
    clusterId: row.clusterId,
    label: `agent of ${row.hostname} (${row.prefix})`,
    ...request,
  };
}

/** Agent endpoints answer only a node credential: anyone else is told so. */
export function assertNodeActor(actor: Actor): asserts actor is Extract<Actor, { type: "node" }> {
  if (actor.type !== "node")
    throw new AppError("FORBIDDEN", `${actor.label}: only a node's agent (its node credential) may use /api/v1/agent`);
}

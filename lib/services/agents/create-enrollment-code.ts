import "server-only";
import { schema, type Database } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { getNodeOrThrow } from "@/lib/services/nodes/get-node";
import { ENROLLMENT_CODE_TTL_MS, generateEnrollmentCode } from "./agent-secrets";

/**
 * "Connect agent": a one-time code for `cluster-tls.mjs agent enroll`. The plaintext is returned
 * once and never stored; it works once, within ENROLLMENT_CODE_TTL_MS.
 */
export async function createEnrollmentCode(db: Database, actor: Actor, nodeId: string) {
  const { node, cluster } = await getNodeOrThrow(db, actor, nodeId);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const { code, hash } = generateEnrollmentCode();
  const expiresAt = new Date(Date.now() + ENROLLMENT_CODE_TTL_MS);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.agentEnrollmentCodes)
      .values({ nodeId: node.id, codeHash: hash, expiresAt, createdByUserId: actor.type === "user" ? actor.id : null })
      .returning({ id: schema.agentEnrollmentCodes.id });
    await recordAuditEvent(tx, actor, {
      action: "agent.enrollment_code.create",
      objectType: "node",
      objectId: node.id,
      clusterId: cluster.id,
      details: { hostname: node.hostname, codeId: row!.id, expiresAt: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt, nodeId: node.id, hostname: node.hostname, clusterName: cluster.name };
}

import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { SYSTEM_ACTOR, type Actor } from "@/lib/access/actor";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { getNodeOrThrow } from "@/lib/services/nodes/get-node";
import { reissueLoadedNode } from "@/lib/services/nodes/reissue-node-certificate";
import { validationError } from "@/lib/validations/field-errors";
import { ZEnrollAgentInput } from "@/lib/validations/agent";
import { assertNotThrottled, refuse } from "./agent-failures";
import { generateNodeCredential, isWellFormedEnrollmentCode, sameHash, sha256Hex } from "./agent-secrets";

type RequestInfo = { ipAddress: string | null; userAgent: string | null };

/**
 * `{code, csrPem}` → the node's certificate signed from the agent's CSR (the key was made on the
 * node and never comes here) and a node credential, returned once and stored hashed. Using the
 * code, signing and storing the credential happen in one transaction; enrolling again replaces
 * the node's previous credential.
 */
export async function enrollAgent(db: Database, keyRing: KeyRing, input: unknown, request: RequestInfo) {
  const parsed = ZEnrollAgentInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid enrollment");
  const { code, csrPem } = parsed.data;
  assertNotThrottled(request.ipAddress, "enrollment codes");
  if (!isWellFormedEnrollmentCode(code))
    refuse(request.ipAddress, new AppError("UNAUTHENTICATED", "malformed enrollment code (expected ctlse_<secret>)"));
  const hash = sha256Hex(code);
  const { agentEnrollmentCodes: codes, nodeAgents } = schema;
  const [found] = await db.select().from(codes).where(eq(codes.codeHash, hash));
  if (!found || !sameHash(found.codeHash, hash))
    return refuse(request.ipAddress, new AppError("UNAUTHENTICATED", "unknown enrollment code"));
  if (found.usedAt)
    throw new AppError(
      "UNAUTHENTICATED",
      `this enrollment code was already used on ${found.usedAt.toISOString()}; ask for a new one (Connect agent)`,
    );
  if (found.expiresAt <= new Date())
    throw new AppError(
      "UNAUTHENTICATED",
      `this enrollment code expired on ${found.expiresAt.toISOString()}; ask for a new one (Connect agent)`,
    );

  const context = await getNodeOrThrow(db, SYSTEM_ACTOR, found.nodeId);
  const { node, cluster } = context;
  const agentId = randomUUID();
  const actor: Actor = {
    type: "node",
    id: agentId,
    nodeId: node.id,
    clusterId: cluster.id,
    label: `agent of ${node.hostname}`,
    ...request,
  };
  const { credential, prefix, hash: credentialHash } = generateNodeCredential();
  const reissued = await reissueLoadedNode(db, actor, keyRing, context, {
    csrPem,
    reason: "agent enrollment",
    alongside: async (tx) => {
      // Single use, also against two enrollments racing with the same code.
      const [used] = await tx
        .update(codes)
        .set({ usedAt: new Date() })
        .where(and(eq(codes.id, found.id), isNull(codes.usedAt), gt(codes.expiresAt, new Date())))
        .returning({ id: codes.id });
      if (!used)
        throw new AppError("UNAUTHENTICATED", "this enrollment code was used or expired meanwhile; ask for a new one (Connect agent)");
      await tx.delete(nodeAgents).where(eq(nodeAgents.nodeId, node.id));
      await tx.insert(nodeAgents).values({ id: agentId, nodeId: node.id, credentialPrefix: prefix, credentialHash });
      await recordAuditEvent(tx, actor, {
        action: "agent.enroll",
        objectType: "node",
        objectId: node.id,
        clusterId: cluster.id,
        details: { hostname: node.hostname, credentialPrefix: prefix },
      });
    },
  });
  return { credential, reissued, clusterName: cluster.name };
}

import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { validationError } from "@/lib/validations/field-errors";
import { ZAgentStatusInput } from "@/lib/validations/agent";
import { assertNodeActor } from "./authenticate-node-credential";

/**
 * Stores the status an agent posts after each poll. The first report where what the node serves
 * is the certificate issued to it is the agent's first confirmed install: from then on the node's
 * key lives only on the node, so any server key still stored for it (from before the agent) is
 * dropped, in the same transaction, with an audit row.
 */
export async function recordAgentStatus(db: Database, actor: Actor, input: unknown) {
  assertNodeActor(actor);
  const parsed = ZAgentStatusInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid status");
  const status = parsed.data;
  const { certificates, nodeAgents } = schema;
  return db.transaction(async (tx) => {
    const [active] = await tx
      .select({ serialHex: certificates.serialHex })
      .from(certificates)
      .where(and(eq(certificates.nodeId, actor.nodeId), eq(certificates.kind, "server"), eq(certificates.status, "active")));
    const confirmed = Boolean(active && status.servedSerial === active.serialHex && status.installedSerial === active.serialHex);
    const now = new Date();
    const [agent] = await tx
      .update(nodeAgents)
      .set({ lastStatus: { ...status, issuedSerial: active?.serialHex ?? null }, lastStatusAt: now })
      .where(eq(nodeAgents.id, actor.id))
      .returning({ firstConfirmedAt: nodeAgents.firstConfirmedAt });
    if (confirmed && agent && !agent.firstConfirmedAt) {
      await tx.update(nodeAgents).set({ firstConfirmedAt: now }).where(eq(nodeAgents.id, actor.id));
      const dropped = await tx
        .update(certificates)
        .set({ encryptedPrivateKey: null })
        .where(and(eq(certificates.nodeId, actor.nodeId), eq(certificates.kind, "server"), isNotNull(certificates.encryptedPrivateKey)))
        .returning({ serialHex: certificates.serialHex });
      await recordAuditEvent(tx, actor, {
        action: "agent.first_confirmed_install",
        objectType: "node",
        objectId: actor.nodeId,
        clusterId: actor.clusterId,
        details: { serial: active!.serialHex, droppedServerKeys: dropped.map((d) => d.serialHex) },
      });
    }
    return { issuedSerial: active?.serialHex ?? null, confirmed };
  });
}

import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { enqueueWebhookEvent } from "@/lib/services/webhooks/enqueue-webhook-event";
import { validationError } from "@/lib/validations/field-errors";
import { ZAgentStatusInput } from "@/lib/validations/agent";
import { assertNodeActor } from "./authenticate-node-credential";
import type { AgentLastStatus } from "./agent-verdict";

/**
 * Stores the status an agent posts after each poll. The first report where what the node serves
 * is the certificate issued to it is the agent's first confirmed install: from then on the node's
 * key lives only on the node, so any server key still stored for it (from before the agent) is
 * dropped, in the same transaction, with an audit row. A report of a failed install that is not
 * the failure already stored is audited and queues `agent.install_failed` once (keyed by the
 * install's time); any report ends a stale episode.
 */
export async function recordAgentStatus(db: Database, actor: Actor, input: unknown) {
  assertNodeActor(actor);
  const parsed = ZAgentStatusInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid status");
  const { pollIntervalSeconds, ...status } = parsed.data;
  const { certificates, nodeAgents, nodes } = schema;
  return db.transaction(async (tx) => {
    const [previous] = await tx
      .select({ lastStatus: nodeAgents.lastStatus, hostname: nodes.hostname })
      .from(nodeAgents)
      .innerJoin(nodes, eq(nodes.id, nodeAgents.nodeId))
      .where(eq(nodeAgents.id, actor.id))
      .for("update", { of: nodeAgents });
    const [active] = await tx
      .select({ serialHex: certificates.serialHex })
      .from(certificates)
      .where(and(eq(certificates.nodeId, actor.nodeId), eq(certificates.kind, "server"), eq(certificates.status, "active")));
    const confirmed = Boolean(active && status.servedSerial === active.serialHex && status.installedSerial === active.serialHex);
    const now = new Date();
    const issuedSerial = active?.serialHex ?? null;
    const [agent] = await tx
      .update(nodeAgents)
      .set({ lastStatus: { ...status, pollIntervalSeconds, issuedSerial }, lastStatusAt: now, pollIntervalSeconds, staleNotifiedAt: null })
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
    const failed = status.lastInstall && !status.lastInstall.ok ? status.lastInstall : null;
    const stored = previous?.lastStatus as AgentLastStatus | null | undefined;
    const before = stored?.lastInstall;
    // The agent retries a failed install every poll: the same failure (same certificate, same
    // reason) retried is one event, not one a minute.
    const sameFailure = before && !before.ok && (before.at === failed?.at || (before.error === failed?.error && stored?.issuedSerial === issuedSerial));
    if (failed && !sameFailure) {
      const details = { hostname: previous?.hostname ?? null, at: failed.at, error: failed.error, issuedSerial, installedSerial: status.installedSerial, servedSerial: status.servedSerial };
      await recordAuditEvent(tx, actor, { action: "agent.install_failed", objectType: "node", objectId: actor.nodeId, clusterId: actor.clusterId, outcome: "failure", details });
      // Keyed by the install's time: a report repeated after a lost answer queues nothing more.
      await enqueueWebhookEvent(tx, { clusterId: actor.clusterId, event: "agent.install_failed", dedupeKey: `agent.install_failed:${actor.id}:${failed.at}`, data: { nodeId: actor.nodeId, ...details } });
    }
    return { issuedSerial, confirmed };
  });
}

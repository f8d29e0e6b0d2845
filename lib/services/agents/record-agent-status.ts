import "server-only";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { schema, type Database, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { enqueueWebhookEvent } from "@/lib/services/webhooks/enqueue-webhook-event";
import { validationError } from "@/lib/validations/field-errors";
import { ZAgentStatusInput } from "@/lib/validations/agent";
import { assertNodeActor } from "./authenticate-node-credential";
import type { AgentLastStatus } from "./agent-verdict";
import { activeServerCertificateOf } from "@/lib/services/queries/node-certificates";

type NodeActor = Extract<Actor, { type: "node" }>;
type AgentStatus = Omit<ReturnType<typeof ZAgentStatusInput.parse>, "pollIntervalSeconds">;
type FailedInstall = NonNullable<AgentStatus["lastInstall"]>;

/**
 * Stores the status an agent posts after each poll; any report ends a stale episode.
 *
 * Every agent reports once a minute, so the usual report is one UPDATE that looks up the issued
 * serial itself. Two rarer reports do more, each in a transaction of its own:
 * - the first where what the node serves is the certificate issued to it (the agent's first
 *   confirmed install): from then on the node's key lives only on the node, so any server key
 *   still stored for it (from before the agent) is dropped, with an audit row;
 * - a failed install that is not the failure already stored: audited, and `agent.install_failed`
 *   queued once (keyed by the install's time).
 */
export async function recordAgentStatus(db: Database, actor: Actor, input: unknown) {
  assertNodeActor(actor);
  const parsed = ZAgentStatusInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid status");
  const { pollIntervalSeconds, ...status } = parsed.data;
  const failed = status.lastInstall && !status.lastInstall.ok ? status.lastInstall : null;
  const stored = failed
    ? await db.transaction((tx) => storeFailedInstall(tx, actor, status, pollIntervalSeconds, failed))
    : await storeStatus(db, actor, status, pollIntervalSeconds);
  const issued = stored?.issuedSerial ?? null;
  const confirmed = Boolean(issued && status.servedSerial === issued && status.installedSerial === issued);
  if (confirmed && stored && !stored.firstConfirmedAt) await recordFirstConfirmation(db, actor, issued!);
  return { issuedSerial: issued, confirmed };
}

/** One UPDATE: the report, the serial issued to the node now (looked up in place), the poll interval. */
async function storeStatus(db: Executor, actor: NodeActor, status: AgentStatus, pollIntervalSeconds: number) {
  const { certificates, nodeAgents } = schema;
  const issuedSerial = sql<
    string | null
  >`(SELECT ${certificates.serialHex} FROM ${certificates} WHERE ${activeServerCertificateOf(actor.nodeId)} LIMIT 1)`;
  const [stored] = await db
    .update(nodeAgents)
    .set({
      lastStatus: sql`${JSON.stringify({ ...status, pollIntervalSeconds })}::jsonb || jsonb_build_object('issuedSerial', ${issuedSerial})`,
      lastStatusAt: new Date(),
      pollIntervalSeconds,
      staleNotifiedAt: null,
    })
    .where(eq(nodeAgents.id, actor.id))
    .returning({
      firstConfirmedAt: nodeAgents.firstConfirmedAt,
      issuedSerial: sql<string | null>`${nodeAgents.lastStatus}->>'issuedSerial'`,
    });
  return stored;
}

async function storeFailedInstall(tx: Executor, actor: NodeActor, status: AgentStatus, pollIntervalSeconds: number, failed: FailedInstall) {
  const { nodeAgents, nodes } = schema;
  const [previous] = await tx
    .select({ lastStatus: nodeAgents.lastStatus, hostname: nodes.hostname })
    .from(nodeAgents)
    .innerJoin(nodes, eq(nodes.id, nodeAgents.nodeId))
    .where(eq(nodeAgents.id, actor.id))
    .for("update", { of: nodeAgents });
  const stored = await storeStatus(tx, actor, status, pollIntervalSeconds);
  const issuedSerial = stored?.issuedSerial ?? null;
  const before = (previous?.lastStatus as AgentLastStatus | null | undefined) ?? null;
  // The agent retries a failed install every poll: the same failure (same certificate, same
  // reason) retried is one event, not one a minute.
  const sameFailure =
    before?.lastInstall &&
    !before.lastInstall.ok &&
    (before.lastInstall.at === failed.at || (before.lastInstall.error === failed.error && before.issuedSerial === issuedSerial));
  if (!sameFailure) {
    const details = {
      hostname: previous?.hostname ?? null,
      at: failed.at,
      error: failed.error,
      issuedSerial,
      installedSerial: status.installedSerial,
      servedSerial: status.servedSerial,
    };
    await recordAuditEvent(tx, actor, {
      action: "agent.install_failed",
      objectType: "node",
      objectId: actor.nodeId,
      clusterId: actor.clusterId,
      outcome: "failure",
      details,
    });
    // Keyed by the install's time: a report repeated after a lost answer queues nothing more.
    await enqueueWebhookEvent(tx, {
      clusterId: actor.clusterId,
      event: "agent.install_failed",
      dedupeKey: `agent.install_failed:${actor.id}:${failed.at}`,
      data: { nodeId: actor.nodeId, ...details },
    });
  }
  return stored;
}

async function recordFirstConfirmation(db: Database, actor: NodeActor, serial: string) {
  const { certificates, nodeAgents } = schema;
  await db.transaction(async (tx) => {
    // Two reports racing: only the one that sets it drops the keys and writes the audit row.
    const [first] = await tx
      .update(nodeAgents)
      .set({ firstConfirmedAt: new Date() })
      .where(and(eq(nodeAgents.id, actor.id), isNull(nodeAgents.firstConfirmedAt)))
      .returning({ id: nodeAgents.id });
    if (!first) return;
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
      details: { serial, droppedServerKeys: dropped.map((d) => d.serialHex) },
    });
  });
}

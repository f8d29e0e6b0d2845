import "server-only";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
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
 *
 * Every agent reports once a minute: the usual report is one UPDATE that looks up the issued
 * serial itself (a transaction of four statements before); only a first confirmation opens one.
 */
export async function recordAgentStatus(db: Database, actor: Actor, input: unknown) {
  assertNodeActor(actor);
  const parsed = ZAgentStatusInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid status");
  const status = parsed.data;
  const { certificates, nodeAgents } = schema;
  const issuedSerial = sql<string | null>`(SELECT ${certificates.serialHex} FROM ${certificates} WHERE ${and(eq(certificates.nodeId, actor.nodeId), eq(certificates.kind, "server"), eq(certificates.status, "active"))} LIMIT 1)`;
  const [stored] = await db
    .update(nodeAgents)
    .set({ lastStatus: sql`${JSON.stringify(status)}::jsonb || jsonb_build_object('issuedSerial', ${issuedSerial})`, lastStatusAt: new Date() })
    .where(eq(nodeAgents.id, actor.id))
    .returning({ firstConfirmedAt: nodeAgents.firstConfirmedAt, issuedSerial: sql<string | null>`${nodeAgents.lastStatus}->>'issuedSerial'` });
  const issued = stored?.issuedSerial ?? null;
  const confirmed = Boolean(issued && status.servedSerial === issued && status.installedSerial === issued);
  if (confirmed && stored && !stored.firstConfirmedAt) await recordFirstConfirmation(db, actor, issued!);
  return { issuedSerial: issued, confirmed };
}

async function recordFirstConfirmation(db: Database, actor: Extract<Actor, { type: "node" }>, serial: string) {
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

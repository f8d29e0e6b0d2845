import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { getNodeOrThrow } from "@/lib/services/nodes/get-node";
import { agentVerdict, installedCrlNextUpdate, installedCrlNumber, type AgentLastStatus } from "./agent-verdict";
import { loadCurrentCrl } from "./load-current-crl";
import { activeServerCertificateOf, holdsServerKey } from "@/lib/services/queries/node-certificates";

/**
 * The node's agent as the node page shows it (never its credential), or null when none enrolled:
 * what it last reported beside what is issued now (serial, the cluster's current CRL), the
 * verdict, and whether cluster-tls still holds a key for the node (none once the agent's install
 * was confirmed: Disconnect then leaves the node without a stored key).
 */
export async function getNodeAgent(db: Executor, actor: Actor, nodeId: string, now = new Date()) {
  const { node } = await getNodeOrThrow(db, actor, nodeId);
  const { nodeAgents: agents, certificates } = schema;
  const [[agent], [active], serverKeyStored, currentCrl] = await Promise.all([
    db
      .select({
        prefix: agents.credentialPrefix,
        enrolledAt: agents.enrolledAt,
        renewalRequestedAt: agents.renewalRequestedAt,
        firstConfirmedAt: agents.firstConfirmedAt,
        lastStatus: agents.lastStatus,
        lastStatusAt: agents.lastStatusAt,
        pollIntervalSeconds: agents.pollIntervalSeconds,
      })
      .from(agents)
      .where(eq(agents.nodeId, node.id)),
    db.select({ serialHex: certificates.serialHex }).from(certificates).where(activeServerCertificateOf(node.id)),
    holdsServerKey(db, node.id),
    loadCurrentCrl(db, node.clusterId),
  ]);
  if (!agent) return null;
  const status = agent.lastStatus as AgentLastStatus | null;
  const issuedSerial = active?.serialHex ?? null;
  const lastSeenAt = agent.lastStatusAt ?? agent.enrolledAt;
  return {
    ...agent,
    lastStatus: status,
    issuedSerial,
    verdict: agentVerdict({ status, lastSeenAt, pollIntervalSeconds: agent.pollIntervalSeconds, issuedSerial, currentCrl, now }),
    crl: {
      installedNumber: installedCrlNumber(status, currentCrl),
      installedNextUpdate: installedCrlNextUpdate(status),
      currentNumber: currentCrl?.number ?? null,
      currentNextUpdate: currentCrl?.nextUpdate ?? null,
    },
    serverKeyStored,
  };
}

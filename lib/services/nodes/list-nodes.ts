import "server-only";
import { and, asc, count, eq, ilike, isNull, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { containsPattern } from "@/lib/db/like";
import { agentVerdict, type AgentLastStatus, type AgentVerdict } from "@/lib/services/agents/agent-verdict";
import { loadCurrentCrl } from "@/lib/services/agents/load-current-crl";
import { activeServerCertificateOf } from "@/lib/services/queries/node-certificates";

const NODES_PAGE_SIZE = 50;

/** The "On node" column: the agent's verdict, else the last live probe's, else nothing known. */
export type OnNode =
  { source: "agent"; verdict: AgentVerdict; lastSeenAt: Date } | { source: "probe"; status: string; at: Date } | { source: "none" };

/**
 * A cluster's live nodes with their active server certificate and what is on the node (agent
 * report or last probe), one page at a time (a fleet cluster has thousands), optionally narrowed
 * to host names containing `search`. Ordered as the expiry timeline above it: nodes without a
 * certificate first, then soonest expiry, then host name. One query for the page, whatever its
 * size. The caller has checked access.
 */
export async function listNodes(
  db: Executor,
  clusterId: string,
  { page = 1, search, now = new Date() }: { page?: number; search?: string; now?: Date } = {},
) {
  const { nodes, certificates, nodeAgents: agents } = schema;
  const where = and(
    eq(nodes.clusterId, clusterId),
    isNull(nodes.removedAt),
    search ? ilike(nodes.hostname, containsPattern(search)) : undefined,
  );
  const [rows, [total], currentCrl] = await Promise.all([
    db
      .select({
        id: nodes.id,
        hostname: nodes.hostname,
        role: nodes.role,
        port: nodes.port,
        serialHex: certificates.serialHex,
        dnsNames: certificates.dnsNames,
        ipAddresses: certificates.ipAddresses,
        notAfter: certificates.notAfter,
        status: certificates.status,
        lastProbeStatus: nodes.lastProbeStatus,
        lastProbedAt: nodes.lastProbedAt,
        agentId: agents.id,
        agentStatus: agents.lastStatus,
        agentSeenAt: sql<Date>`coalesce(${agents.lastStatusAt}, ${agents.enrolledAt})`.mapWith(agents.enrolledAt),
        agentInterval: agents.pollIntervalSeconds,
      })
      .from(nodes)
      .leftJoin(certificates, activeServerCertificateOf(nodes.id))
      .leftJoin(agents, eq(agents.nodeId, nodes.id))
      .where(where)
      .orderBy(sql`${certificates.notAfter} asc nulls first`, asc(nodes.hostname), asc(nodes.id))
      .limit(NODES_PAGE_SIZE)
      .offset((page - 1) * NODES_PAGE_SIZE),
    db.select({ n: count() }).from(nodes).where(where),
    loadCurrentCrl(db, clusterId),
  ]);
  const withOnNode = rows.map(({ agentId, agentStatus, agentSeenAt, agentInterval, lastProbeStatus, lastProbedAt, ...row }) => {
    let onNode: OnNode = { source: "none" };
    if (agentId && agentInterval !== null) {
      const verdict = agentVerdict({
        status: agentStatus as AgentLastStatus | null,
        lastSeenAt: agentSeenAt,
        pollIntervalSeconds: agentInterval,
        issuedSerial: row.serialHex,
        currentCrl,
        now,
      });
      onNode = { source: "agent", verdict, lastSeenAt: agentSeenAt };
    } else if (lastProbeStatus && lastProbedAt) {
      onNode = { source: "probe", status: lastProbeStatus, at: lastProbedAt };
    }
    return { ...row, onNode };
  });
  return { rows: withOnNode, total: total?.n ?? 0, page, pageSize: NODES_PAGE_SIZE };
}

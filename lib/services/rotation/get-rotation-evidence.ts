import "server-only";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";
import { probedSerial } from "@/lib/services/nodes/probe-node";

/** yes / no from a report or probe; unknown when nothing seen says either way. */
export type Verdict = "yes" | "no" | "unknown";

export type NodeEvidence = {
  nodeId: string;
  hostname: string;
  /** An agent is enrolled: only these nodes gate step 4 (their reports are proof, not guesswork). */
  agent: boolean;
  /** Where the verdicts come from: the agent's last report, the last live probe, or nothing yet. */
  source: "agent" | "probe" | "none";
  trustsNewCa: Verdict;
  servesNewCa: Verdict;
  servedSerial: string | null;
  /** The agent's last report, or the last probe for a node without an agent. */
  lastSeenAt: Date | null;
};

export type RotationEvidence = {
  total: number;
  trusting: number;
  serving: number;
  nodes: NodeEvidence[];
  /** Agent-managed nodes without the new chain (not trusting or not serving from the new CA): what step 4 refuses on. */
  lagging: NodeEvidence[];
};

type AgentReport = { servedSerial?: unknown; rootFingerprints?: unknown };

/**
 * What the nodes of the cluster's open rotation really have: does each trust the new CA (its
 * fingerprint is in the root.crt the agent reports installed) and serve a certificate the new CA
 * signed (the served serial the agent proved by a TLS handshake). Nodes without an agent fall back
 * to the last live probe: it sees the served certificate, never ssl_ca_file, so trust is only
 * inferred when the node serves from the new CA (that bundle carried the new root.crt). Null with no rotation open.
 */
export async function getRotationEvidence(db: Executor, actor: Actor, clusterRef: string): Promise<RotationEvidence | null> {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const { caRotations } = schema;
  const [rotation] = await db
    .select({ newCaId: caRotations.newCaId })
    .from(caRotations)
    .where(and(eq(caRotations.clusterId, cluster.id), isNull(caRotations.retiredAt), isNull(caRotations.cancelledAt)));
  return rotation ? collectRotationEvidence(db, cluster.id, rotation.newCaId) : null;
}

/** The evidence without a permission check: for a caller that already made one (step 4, in its transaction). */
export async function collectRotationEvidence(db: Executor, clusterId: string, newCaId: string): Promise<RotationEvidence> {
  const { certificateAuthorities: cas, certificates: c, nodes, nodeAgents: agents } = schema;
  const [newCa] = await db
    .select({ fingerprint: c.fingerprintSha256 })
    .from(cas)
    .innerJoin(c, eq(c.id, cas.certificateId))
    .where(eq(cas.id, newCaId));
  const newFingerprint = newCa?.fingerprint.toUpperCase() ?? "";
  const rows = await db
    .select({
      nodeId: nodes.id,
      hostname: nodes.hostname,
      probeStatus: nodes.lastProbeStatus,
      probeDetail: nodes.lastProbeDetail,
      probedAt: nodes.lastProbedAt,
      agentId: agents.id,
      report: agents.lastStatus,
      reportedAt: agents.lastStatusAt,
    })
    .from(nodes)
    .leftJoin(agents, eq(agents.nodeId, nodes.id))
    .where(and(eq(nodes.clusterId, clusterId), isNull(nodes.removedAt)))
    .orderBy(asc(nodes.hostname));

  const servedSerials = rows.map((row) => {
    if (row.agentId)
      return typeof (row.report as AgentReport | null)?.servedSerial === "string"
        ? ((row.report as AgentReport).servedSerial as string)
        : null;
    return row.probeStatus === "current" || row.probeStatus === "older" ? probedSerial(row.probeDetail) : null;
  });
  const wanted = [...new Set(servedSerials.filter((s): s is string => s !== null))];
  const issuers = wanted.length
    ? await db
        .select({ nodeId: c.nodeId, serialHex: c.serialHex, issuerCaId: c.issuerCaId })
        .from(c)
        .where(and(eq(c.clusterId, clusterId), eq(c.kind, "server"), inArray(c.serialHex, wanted)))
    : [];
  const issuerOf = (nodeId: string, serial: string | null) =>
    serial ? issuers.find((i) => i.nodeId === nodeId && i.serialHex === serial) : undefined;

  const evidence = rows.map((row, i): NodeEvidence => {
    const servedSerial = servedSerials[i] ?? null;
    const issued = issuerOf(row.nodeId, servedSerial);
    // A serial this node was never issued (a foreign certificate) is not from the new CA either.
    const serves: Verdict =
      servedSerial === null
        ? row.probeStatus === "foreign" && !row.agentId
          ? "no"
          : "unknown"
        : issued?.issuerCaId === newCaId
          ? "yes"
          : "no";
    if (row.agentId) {
      const report = row.report as AgentReport | null;
      const fingerprints = Array.isArray(report?.rootFingerprints)
        ? report.rootFingerprints.filter((f): f is string => typeof f === "string")
        : null;
      const trusts: Verdict =
        fingerprints === null ? "unknown" : fingerprints.some((f) => f.toUpperCase() === newFingerprint) ? "yes" : "no";
      return {
        nodeId: row.nodeId,
        hostname: row.hostname,
        agent: true,
        source: report ? "agent" : "none",
        trustsNewCa: trusts,
        servesNewCa: report ? serves : "unknown",
        servedSerial,
        lastSeenAt: row.reportedAt,
      };
    }
    return {
      nodeId: row.nodeId,
      hostname: row.hostname,
      agent: false,
      source: row.probedAt ? "probe" : "none",
      trustsNewCa: serves === "yes" ? "yes" : "unknown",
      servesNewCa: serves,
      servedSerial,
      lastSeenAt: row.probedAt,
    };
  });
  return {
    total: evidence.length,
    trusting: evidence.filter((e) => e.trustsNewCa === "yes").length,
    serving: evidence.filter((e) => e.servesNewCa === "yes").length,
    nodes: evidence,
    lagging: evidence.filter((e) => e.agent && (e.trustsNewCa !== "yes" || e.servesNewCa !== "yes")),
  };
}

/** "db2 (does not trust the new CA, serves a certificate from the old one)": a lagging node, for an error or audit row. */
export function describeLagging(node: NodeEvidence): string {
  const gaps = [
    node.trustsNewCa === "yes" ? null : node.trustsNewCa === "no" ? "does not trust the new CA" : "has not reported its root.crt",
    node.servesNewCa === "yes"
      ? null
      : node.servesNewCa === "no"
        ? `serves ${node.servedSerial ? `serial ${node.servedSerial}, ` : ""}not from the new CA`
        : "has not reported what it serves",
  ].filter(Boolean);
  const seen = node.lastSeenAt ? `last report ${node.lastSeenAt.toISOString().replace(/\.\d+Z$/, "Z")}` : "never reported";
  return `${node.hostname} (${gaps.join(", ")}; ${seen})`;
}

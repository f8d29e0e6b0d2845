import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { schema } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/access/actor";
import { probeNode, type ProbeStatus } from "@/lib/services/nodes/probe-node";
import type { JobContext, JobDefinition } from "./types";

/** Probes run this many at a time: each waits on the network (5 s timeout), not the CPU. */
const CONCURRENCY = 8;

/** Every live node is probed; the verdicts go on the nodes (node page, /api/metrics). */
async function probeNodes({ db, now }: JobContext) {
  const { nodes, clusters } = schema;
  const live = await db
    .select({ id: nodes.id })
    .from(nodes)
    .innerJoin(clusters, eq(clusters.id, nodes.clusterId))
    .where(and(isNull(nodes.removedAt), isNull(clusters.archivedAt)));
  const counts: Partial<Record<ProbeStatus, number>> = {};
  const queue = [...live];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { status } = await probeNode(db, SYSTEM_ACTOR, next.id, now);
      counts[status] = (counts[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { probed: live.length, ...counts };
}

export const probeNodesJob: JobDefinition = {
  name: "tls-probe",
  title: "Live TLS probe",
  description: "Dials every node and checks it serves the certificate cluster-tls issued.",
  intervalMs: 15 * 60_000,
  run: probeNodes,
};

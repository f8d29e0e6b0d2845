import "server-only";
import { and, asc, eq, isNull, lt, sql } from "drizzle-orm";
import { schema } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/access/actor";
import { describeError } from "@/lib/errors/describe-error";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import type { JobContext, JobDefinition } from "./types";

/** At most this many renewals per run, so one run stays short; the next run takes the rest. */
const BATCH = 200;

/**
 * Re-issues every active server certificate inside its cluster's renew-before window (lineage
 * kept, previous superseded, audited as "system"). Client certificates are never renewed
 * silently: their keys are not stored, so their owners are warned instead.
 */
export async function renewServerCertificates({ db, keyRing, now }: JobContext) {
  const { certificates: c, clusters, nodes } = schema;
  const due = await db
    .select({ nodeId: nodes.id, hostname: nodes.hostname, clusterId: c.clusterId })
    .from(c)
    .innerJoin(nodes, eq(nodes.id, c.nodeId))
    .innerJoin(clusters, eq(clusters.id, c.clusterId))
    .where(
      and(
        eq(c.kind, "server"),
        eq(c.status, "active"),
        isNull(nodes.removedAt),
        isNull(clusters.archivedAt),
        lt(c.notAfter, sql`${now.toISOString()}::timestamptz + make_interval(days => ${clusters.renewBeforeDays})`),
      ),
    )
    .orderBy(asc(c.notAfter))
    .limit(BATCH);
  const renewed: string[] = [];
  const failed: { hostname: string; error: string }[] = [];
  // One bulk re-issue per cluster (its CA loaded once); one cluster's failure (e.g. its CA
  // expired) must not stop the others, nor one node's the rest of its cluster.
  for (const clusterId of new Set(due.map((d) => d.clusterId))) {
    const nodeIds = due.filter((d) => d.clusterId === clusterId).map((d) => d.nodeId);
    try {
      const result = await bulkReissueNodes(db, SYSTEM_ACTOR, keyRing, clusterId, { nodeIds, skipMissing: true, reason: "renewal" });
      const failedIds = new Set(result.failed.map((f) => f.nodeId));
      renewed.push(...due.filter((d) => d.clusterId === clusterId && !failedIds.has(d.nodeId)).map((d) => d.hostname));
      failed.push(...result.failed.map(({ hostname, error }) => ({ hostname, error })));
    } catch (error) {
      failed.push(...due.filter((d) => d.clusterId === clusterId).map((d) => ({ hostname: d.hostname, error: describeError(error) })));
    }
  }
  if (failed.length > 0 && renewed.length === 0)
    throw new Error(`renewal failed for ${failed.map((f) => `${f.hostname} (${f.error})`).join(", ")}`);
  return { due: due.length, renewed, failed };
}

export const renewServerCertificatesJob: JobDefinition = {
  name: "server-renewal",
  title: "Server certificate renewal",
  description: "Re-issues server certificates inside their cluster's renew-before window; install the new bundles.",
  intervalMs: 60 * 60_000,
  run: renewServerCertificates,
};

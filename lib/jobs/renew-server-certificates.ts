import "server-only";
import { and, asc, eq, isNull, lt, sql } from "drizzle-orm";
import { schema } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/access/actor";
import { describeError } from "@/lib/errors/describe-error";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
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
    .select({ nodeId: nodes.id, hostname: nodes.hostname, notAfter: c.notAfter })
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
  for (const node of due) {
    try {
      await reissueNodeCertificate(db, SYSTEM_ACTOR, keyRing, node.nodeId, { reason: "renewal" });
      renewed.push(node.hostname);
    } catch (error) {
      // One node's failure (e.g. its cluster's CA expired) must not stop the others.
      failed.push({ hostname: node.hostname, error: describeError(error) });
    }
  }
  if (failed.length > 0 && renewed.length === 0) throw new Error(`renewal failed for ${failed.map((f) => `${f.hostname} (${f.error})`).join(", ")}`);
  return { due: due.length, renewed, failed };
}

export const renewServerCertificatesJob: JobDefinition = {
  name: "server-renewal",
  title: "Server certificate renewal",
  description: "Re-issues server certificates inside their cluster's renew-before window; install the new bundles.",
  intervalMs: 60 * 60_000,
  run: renewServerCertificates,
};

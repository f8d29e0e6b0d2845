import "server-only";
import { and, count, gt, isNull, lte, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

export type Overview = {
  clusters: number;
  nodes: number;
  activeCertificates: number;
  expiringWithin30Days: number;
  revokedCertificates: number;
};

const DAY_MS = 86_400_000;

/** Counts for the Overview page. Archived clusters and removed nodes are not counted. */
export async function getOverview(db: Executor, now = new Date()): Promise<Overview> {
  const { clusters, nodes, certificates } = schema;
  const soon = new Date(now.getTime() + 30 * DAY_MS);
  const [clusterCount, nodeCount, activeCount, expiringCount, revokedCount] = await Promise.all([
    db.select({ n: count() }).from(clusters).where(isNull(clusters.archivedAt)),
    db.select({ n: count() }).from(nodes).where(isNull(nodes.removedAt)),
    db.select({ n: count() }).from(certificates).where(eq(certificates.status, "active")),
    db
      .select({ n: count() })
      .from(certificates)
      .where(and(eq(certificates.status, "active"), gt(certificates.notAfter, now), lte(certificates.notAfter, soon))),
    db.select({ n: count() }).from(certificates).where(eq(certificates.status, "revoked")),
  ]);
  return {
    clusters: clusterCount[0]?.n ?? 0,
    nodes: nodeCount[0]?.n ?? 0,
    activeCertificates: activeCount[0]?.n ?? 0,
    expiringWithin30Days: expiringCount[0]?.n ?? 0,
    revokedCertificates: revokedCount[0]?.n ?? 0,
  };
}

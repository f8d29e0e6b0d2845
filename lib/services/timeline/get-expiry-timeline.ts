import "server-only";
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { schema, type Executor } from "@/lib/db";
import { TRUSTED_CA_STATES } from "@/lib/db/schema/enums";
import type { Actor } from "@/lib/access/actor";
import { visibleClusterIds } from "@/lib/services/access/visible-cluster-ids";
import type { TimelineData } from "@/lib/timeline/layout";

const { certificates: c, certificateAuthorities: cas, clusters, crls } = schema;

/**
 * What an expiry timeline draws, for one cluster or every cluster the actor may see: CA
 * lifetimes, each CA's CRL nextUpdate, the `limit` soonest-expiring leaves as bars, and every
 * active leaf counted per week (so 10,000 certificates cost a few hundred buckets, not 10,000 bars).
 */
export async function getExpiryTimeline(
  db: Executor,
  actor: Actor,
  { clusterId, limit = 40 }: { clusterId?: string; limit?: number } = {},
): Promise<TimelineData> {
  const visible = await visibleClusterIds(db, actor);
  if (visible !== "all" && visible.length === 0)
    return { authorities: [], crls: [], certificates: [], weeklyExpiries: [], totals: { server: 0, client: 0 } };
  const inScope = (column: AnyPgColumn): SQL | undefined =>
    and(visible === "all" ? undefined : inArray(column, visible), clusterId ? eq(column, clusterId) : undefined);
  const liveCluster = isNull(clusters.archivedAt);
  const activeLeaf = and(eq(c.status, "active"), inArray(c.kind, ["server", "client"]), inScope(c.clusterId));

  const [authorities, latestCrls, certificates, weekly] = await Promise.all([
    db
      .select({
        id: cas.id,
        clusterName: clusters.name,
        label: c.commonName,
        state: cas.state,
        notBefore: c.notBefore,
        notAfter: c.notAfter,
      })
      .from(cas)
      .innerJoin(c, eq(c.id, cas.certificateId))
      .innerJoin(clusters, eq(clusters.id, cas.clusterId))
      .where(and(inArray(cas.state, TRUSTED_CA_STATES), inScope(cas.clusterId), liveCluster))
      .orderBy(asc(clusters.name), asc(cas.createdAt)),
    db
      .selectDistinctOn([crls.caId], { caId: crls.caId, clusterName: clusters.name, nextUpdate: crls.nextUpdate })
      .from(crls)
      .innerJoin(cas, eq(cas.id, crls.caId))
      .innerJoin(clusters, eq(clusters.id, cas.clusterId))
      .where(and(inArray(cas.state, TRUSTED_CA_STATES), inScope(cas.clusterId), liveCluster))
      .orderBy(crls.caId, desc(crls.crlNumber)),
    db
      .select({
        id: c.id,
        kind: c.kind,
        label: c.commonName,
        clusterId: c.clusterId,
        clusterName: clusters.name,
        nodeId: c.nodeId,
        notBefore: c.notBefore,
        notAfter: c.notAfter,
      })
      .from(c)
      .innerJoin(clusters, eq(clusters.id, c.clusterId))
      .where(and(activeLeaf, liveCluster))
      // Ties (a "re-issue all" ends many at one instant) by name, as the nodes table sorts them.
      .orderBy(asc(c.notAfter), asc(c.commonName), asc(c.id))
      .limit(limit),
    db
      .select({
        kind: c.kind,
        week: sql<string>`to_char(date_trunc('week', ${c.notAfter} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
        count: sql<number>`cast(count(*) as int)`,
      })
      .from(c)
      .innerJoin(clusters, eq(clusters.id, c.clusterId))
      .where(and(activeLeaf, liveCluster))
      .groupBy(sql`1`, sql`2`),
  ]);

  const totals = { server: 0, client: 0 };
  for (const bucket of weekly) totals[bucket.kind as keyof typeof totals] += bucket.count;
  return {
    authorities,
    crls: latestCrls,
    certificates: certificates.map((cert) => ({
      ...cert,
      kind: cert.kind as "server" | "client",
      href: cert.nodeId ? `/clusters/${cert.clusterId}/nodes/${cert.nodeId}` : `/clusters/${cert.clusterId}`,
    })),
    weeklyExpiries: weekly.map((bucket) => ({
      kind: bucket.kind as "server" | "client",
      weekStart: new Date(`${bucket.week}T00:00:00Z`),
      count: bucket.count,
    })),
    totals,
  };
}

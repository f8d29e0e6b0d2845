import "server-only";
import { and, inArray, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";

export type StatusCounts = { active: number; expiring: number; expired: number; revoked: number };

/**
 * Server and client certificates per cluster by the status people act on (expiring = active
 * with under 30 days left, expired = active past notAfter), in one grouped query.
 */
export async function countCertificatesByCluster(db: Executor, clusterIds: string[], now = new Date()): Promise<Map<string, StatusCounts>> {
  if (clusterIds.length === 0) return new Map();
  const { certificates: c } = schema;
  const soon = new Date(now.getTime() + 30 * DAY_MS);
  const isActive = sql`${c.status} = 'active'`;
  const asInt = (condition: ReturnType<typeof sql>) => sql<number>`cast(count(*) filter (where ${condition}) as int)`;
  const rows = await db
    .select({
      clusterId: c.clusterId,
      active: asInt(sql`${isActive} AND ${c.notAfter} > ${soon}`),
      expiring: asInt(sql`${isActive} AND ${c.notAfter} > ${now} AND ${c.notAfter} <= ${soon}`),
      expired: asInt(sql`(${isActive} AND ${c.notAfter} <= ${now}) OR ${c.status} = 'expired'`),
      revoked: asInt(sql`${c.status} = 'revoked'`),
    })
    .from(c)
    .where(and(inArray(c.clusterId, clusterIds), inArray(c.kind, ["server", "client"])))
    .groupBy(c.clusterId);
  return new Map(rows.map(({ clusterId, ...counts }) => [clusterId, counts]));
}

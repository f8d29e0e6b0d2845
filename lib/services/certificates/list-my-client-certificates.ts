import "server-only";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { DAY_MS } from "@/lib/format/days";

/**
 * The client certificates the signed-in person holds — downloaded by them and neither revoked
 * nor superseded — soonest expiry first, with those that ended in the last 30 days (so a
 * certificate that just lapsed is still seen, beside where to get a new one).
 */
export async function listMyClientCertificates(db: Executor, actor: Actor, now = new Date()) {
  if (actor.type !== "user") return [];
  const { certificates: c, clusters } = schema;
  return db
    .select({
      id: c.id,
      serialHex: c.serialHex,
      databaseUser: c.databaseUser,
      status: c.status,
      notAfter: c.notAfter,
      fromCsr: c.fromCsr,
      clusterId: c.clusterId,
      clusterName: clusters.name,
    })
    .from(c)
    .innerJoin(clusters, eq(clusters.id, c.clusterId))
    .where(
      and(
        eq(c.ownerUserId, actor.id),
        eq(c.kind, "client"),
        inArray(c.status, ["active", "expired"]),
        gt(c.notAfter, new Date(now.getTime() - 30 * DAY_MS)),
      ),
    )
    .orderBy(asc(c.notAfter), asc(c.id))
    .limit(200);
}

import "server-only";
import { and, asc, eq, gt, lte } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { DAY_MS } from "@/lib/format/days";

/**
 * The signed-in person's own client certificates that end within 30 days (or already ended in
 * the last week). They are never renewed silently — their keys were never stored — so their
 * owners are told, with where to download a new bundle.
 */
export async function listMyExpiringCertificates(db: Executor, actor: Actor, now = new Date()) {
  if (actor.type !== "user") return [];
  const { certificates: c, clusters } = schema;
  return db
    .select({
      id: c.id,
      databaseUser: c.databaseUser,
      serialHex: c.serialHex,
      notAfter: c.notAfter,
      clusterId: c.clusterId,
      clusterName: clusters.name,
    })
    .from(c)
    .innerJoin(clusters, eq(clusters.id, c.clusterId))
    .where(
      and(
        eq(c.ownerUserId, actor.id),
        eq(c.kind, "client"),
        eq(c.status, "active"),
        gt(c.notAfter, new Date(now.getTime() - 7 * DAY_MS)),
        lte(c.notAfter, new Date(now.getTime() + 30 * DAY_MS)),
      ),
    )
    .orderBy(asc(c.notAfter))
    .limit(10);
}

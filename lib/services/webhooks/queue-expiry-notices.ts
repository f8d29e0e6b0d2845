import "server-only";
import { and, arrayContains, eq, gt, inArray, isNull, lte } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import { enqueueWebhookEvent } from "./enqueue-webhook-event";

/** Days-left thresholds of the "expiring" event; each certificate gets one notice per threshold. */
const EXPIRY_THRESHOLDS_DAYS = [1, 7, 30] as const;

/**
 * Queues a `certificate.expiring` event for every active certificate that has crossed a
 * threshold (the tightest one: a 5-day certificate gets the 7-day notice, not also the 30-day
 * one). The dedupe key makes repeated scans send each notice once.
 */
export async function queueExpiryNotices(db: Database, now = new Date()) {
  const { certificates: c, clusters, webhooks } = schema;
  const subscribed = db
    .selectDistinct({ clusterId: webhooks.clusterId })
    .from(webhooks)
    .where(and(isNull(webhooks.deletedAt), arrayContains(webhooks.events, ["certificate.expiring"])));
  const expiring = await db
    .select({
      id: c.id,
      clusterId: c.clusterId,
      kind: c.kind,
      commonName: c.commonName,
      serialHex: c.serialHex,
      notAfter: c.notAfter,
      nodeId: c.nodeId,
      databaseUser: c.databaseUser,
    })
    .from(c)
    .innerJoin(clusters, eq(clusters.id, c.clusterId))
    .where(
      and(
        eq(c.status, "active"),
        inArray(c.kind, ["server", "client"]),
        isNull(clusters.archivedAt),
        gt(c.notAfter, now),
        lte(c.notAfter, new Date(now.getTime() + Math.max(...EXPIRY_THRESHOLDS_DAYS) * DAY_MS)),
        inArray(c.clusterId, subscribed),
      ),
    );
  let queued = 0;
  for (const certificate of expiring) {
    const daysLeft = (certificate.notAfter.getTime() - now.getTime()) / DAY_MS;
    const threshold = EXPIRY_THRESHOLDS_DAYS.find((days) => daysLeft <= days)!;
    queued += await enqueueWebhookEvent(db, {
      clusterId: certificate.clusterId,
      event: "certificate.expiring",
      occurredAt: now,
      dedupeKey: `expiring:${certificate.id}:${threshold}`,
      data: {
        threshold,
        daysLeft: Math.floor(daysLeft),
        kind: certificate.kind,
        name: certificate.commonName,
        serial: certificate.serialHex,
        notAfter: certificate.notAfter.toISOString(),
        nodeId: certificate.nodeId,
        databaseUser: certificate.databaseUser,
      },
    });
  }
  return { expiring: expiring.length, queued };
}

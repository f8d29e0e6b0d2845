import "server-only";
import { and, arrayContains, eq, isNull } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import { nudgeJob } from "@/lib/services/jobs/job-nudge";

/** Audited actions that are webhook events: one place, so a new action is a one-line decision. */
const EVENT_OF_ACTION: Record<string, WebhookEvent> = {
  "node.create": "certificate.issued",
  "node.reissue": "certificate.issued",
  "node.sign_csr": "certificate.issued",
  "client_bundle.download": "certificate.issued",
  "client_certificate.sign_csr": "certificate.issued",
  "certificate.issued": "certificate.issued",
  "certificate.revoke": "certificate.revoked",
  "node.remove": "certificate.revoked",
  "ca_rotation.create": "ca.rotation",
  "ca_rotation.publish": "ca.rotation",
  "ca_rotation.reissue": "ca.rotation",
  "ca_rotation.reissued": "ca.rotation",
  "ca_rotation.retire": "ca.rotation",
  "ca_rotation.cancel": "ca.rotation",
};

export function webhookEventOf(action: string): WebhookEvent | undefined {
  return EVENT_OF_ACTION[action];
}

type QueuedEvent = { clusterId: string; event: WebhookEvent; data: Record<string, unknown>; occurredAt?: Date; dedupeKey?: string };

/**
 * Writes one pending delivery per subscribed webhook of the cluster, inside the caller's
 * transaction (the outbox): the event is sent exactly when the change it reports committed.
 * A dedupeKey already queued for a webhook is skipped. Returns how many were queued.
 */
export async function enqueueWebhookEvent(db: Executor, event: QueuedEvent): Promise<number> {
  return enqueueWebhookEvents(db, [event]);
}

/** Several events at once: one lookup of the subscribers per cluster and event, one INSERT. */
export async function enqueueWebhookEvents(db: Executor, events: QueuedEvent[]): Promise<number> {
  const { clusters, webhooks, webhookDeliveries } = schema;
  const targetsOf = new Map<string, { id: string; clusterName: string }[]>();
  const deliveries: (typeof webhookDeliveries.$inferInsert)[] = [];
  for (const { clusterId, event, data, occurredAt = new Date(), dedupeKey } of events) {
    const key = `${clusterId} ${event}`;
    let targets = targetsOf.get(key);
    if (!targets) {
      targets = await db
        .select({ id: webhooks.id, clusterName: clusters.name })
        .from(webhooks)
        .innerJoin(clusters, eq(clusters.id, webhooks.clusterId))
        .where(and(eq(webhooks.clusterId, clusterId), isNull(webhooks.deletedAt), arrayContains(webhooks.events, [event])));
      targetsOf.set(key, targets);
    }
    for (const target of targets) {
      deliveries.push({
        webhookId: target.id,
        event,
        dedupeKey: dedupeKey ?? null,
        payload: { event, occurredAt: occurredAt.toISOString(), cluster: { id: clusterId, name: target.clusterName }, data },
      });
    }
  }
  if (deliveries.length === 0) return 0;
  const inserted = await db.insert(webhookDeliveries).values(deliveries).onConflictDoNothing().returning({ id: webhookDeliveries.id });
  // Delivered about a second from now rather than at the next minute's tick.
  if (inserted.length > 0) nudgeJob("webhook-delivery");
  return inserted.length;
}

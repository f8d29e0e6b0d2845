import "server-only";
import { and, arrayContains, eq, isNull } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";

/** Audited actions that are webhook events: one place, so a new action is a one-line decision. */
const EVENT_OF_ACTION: Record<string, WebhookEvent> = {
  "node.create": "certificate.issued",
  "node.reissue": "certificate.issued",
  "node.sign_csr": "certificate.issued",
  "client_bundle.download": "certificate.issued",
  "client_certificate.sign_csr": "certificate.issued",
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
export async function enqueueWebhookEvent(db: Executor, { clusterId, event, data, occurredAt = new Date(), dedupeKey }: QueuedEvent): Promise<number> {
  const { clusters, webhooks, webhookDeliveries } = schema;
  const targets = await db
    .select({ id: webhooks.id, clusterName: clusters.name })
    .from(webhooks)
    .innerJoin(clusters, eq(clusters.id, webhooks.clusterId))
    .where(and(eq(webhooks.clusterId, clusterId), isNull(webhooks.deletedAt), arrayContains(webhooks.events, [event])));
  if (targets.length === 0) return 0;
  const inserted = await db
    .insert(webhookDeliveries)
    .values(
      targets.map((target) => ({
        webhookId: target.id,
        event,
        dedupeKey: dedupeKey ?? null,
        payload: { event, occurredAt: occurredAt.toISOString(), cluster: { id: clusterId, name: target.clusterName }, data },
      })),
    )
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.id });
  return inserted.length;
}

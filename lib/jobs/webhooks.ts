import "server-only";
import { and, eq, lte } from "drizzle-orm";
import { schema } from "@/lib/db";
import { deliverDueWebhooks } from "@/lib/services/webhooks/deliver-webhooks";
import { queueExpiryNotices } from "@/lib/services/webhooks/queue-expiry-notices";
import type { JobDefinition } from "./types";

export const webhookDeliveryJob: JobDefinition = {
  name: "webhook-delivery",
  title: "Webhook delivery",
  description: "POSTs queued webhook events (signed), retrying failures with back-off for about 15 hours.",
  intervalMs: 60_000,
  hasWork: async ({ db }) => {
    const { webhookDeliveries: d } = schema;
    const [due] = await db
      .select({ id: d.id })
      .from(d)
      .where(and(eq(d.status, "pending"), lte(d.nextAttemptAt, new Date())))
      .limit(1);
    return due !== undefined;
  },
  run: ({ db, keyRing, now }) => deliverDueWebhooks(db, keyRing, now),
};

export const expiryNoticesJob: JobDefinition = {
  name: "expiry-notices",
  title: "Expiry notices",
  description: "Queues a webhook event when a certificate crosses 30, 7 and 1 days left.",
  intervalMs: 60 * 60_000,
  run: ({ db, now }) => queueExpiryNotices(db, now),
};

import "server-only";
import { and, asc, eq, lte } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { decryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { postWebhook, type WebhookAttempt } from "@/lib/webhooks/post-webhook";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from "@/lib/webhooks/signature";

/** Waits before attempts 2, 3, …; after the last one the delivery is marked failed. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];
const BATCH = 100;

/**
 * POSTs every due pending delivery, signed with its webhook's secret. A 2xx is delivered;
 * anything else (error status, timeout, refused connection, a redirect — never followed, so a
 * webhook cannot be bounced to an internal address — or a private address refused) is retried
 * later, up to 6 attempts.
 */
export async function deliverDueWebhooks(db: Database, keyRing: KeyRing, now = new Date()) {
  const { webhooks, webhookDeliveries: d } = schema;
  const due = await db
    .select({
      id: d.id,
      event: d.event,
      payload: d.payload,
      attempts: d.attempts,
      createdAt: d.createdAt,
      url: webhooks.url,
      secret: webhooks.encryptedSecret,
      deletedAt: webhooks.deletedAt,
    })
    .from(d)
    .innerJoin(webhooks, eq(webhooks.id, d.webhookId))
    .where(and(eq(d.status, "pending"), lte(d.nextAttemptAt, now)))
    .orderBy(asc(d.nextAttemptAt))
    .limit(BATCH);
  let delivered = 0;
  let failed = 0;
  for (const delivery of due) {
    const attempt: WebhookAttempt = delivery.deletedAt
      ? { ok: false, statusCode: null, error: "the webhook was deleted" }
      : await post(
          delivery.url,
          decryptSecret(delivery.secret, keyRing.all).toString("utf8"),
          { id: delivery.id, ...delivery.payload },
          delivery.event,
          delivery.id,
          now,
        );
    const attempts = delivery.attempts + 1;
    const giveUp = !attempt.ok && (delivery.deletedAt !== null || attempts > RETRY_DELAYS_MS.length);
    await db
      .update(d)
      .set({
        attempts,
        status: attempt.ok ? "delivered" : giveUp ? "failed" : "pending",
        deliveredAt: attempt.ok ? now : null,
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        nextAttemptAt: attempt.ok || giveUp ? now : new Date(now.getTime() + RETRY_DELAYS_MS[attempts - 1]!),
      })
      .where(eq(d.id, delivery.id));
    if (attempt.ok) delivered += 1;
    else failed += 1;
  }
  return { due: due.length, delivered, failed };
}

function post(
  url: string,
  secret: string,
  payload: Record<string, unknown>,
  event: string,
  deliveryId: string,
  now: Date,
): Promise<WebhookAttempt> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(now.getTime() / 1000);
  return postWebhook(url, body, {
    "Content-Type": "application/json",
    "User-Agent": "cluster-tls-webhook/1",
    "X-Cluster-TLS-Event": event,
    "X-Cluster-TLS-Delivery": deliveryId,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhookBody(secret, timestamp, body),
  });
}

import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { clusters } from "./clusters";
import { createdAt, id } from "./columns";
import { inList } from "./enums";

/** What a webhook can subscribe to: certificate and CA rotation changes, and the agents' install failures and silence. */
export const WEBHOOK_EVENTS = [
  "certificate.issued",
  "certificate.revoked",
  "certificate.expiring",
  "ca.rotation",
  "agent.install_failed",
  "agent.stale",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** An HTTP endpoint a cluster's admin registered; its HMAC secret is encrypted like a key. */
export const webhooks = pgTable(
  "webhooks",
  {
    id: id(),
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "restrict" }),
    url: text("url").notNull(),
    events: text("events").array().$type<WebhookEvent[]>().notNull(),
    encryptedSecret: text("encrypted_secret").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [index("webhooks_cluster_idx").on(t.clusterId)],
);

/**
 * The outbox: a row per event per webhook, written in the transaction of the change it reports,
 * then POSTed by the delivery job with retries. `dedupeKey` keeps one "expiring" notice per
 * certificate and threshold however often the scan runs.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "restrict" }),
    event: text("event").$type<WebhookEvent>().notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    dedupeKey: text("dedupe_key"),
    status: text("status").$type<DeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt),
    uniqueIndex("webhook_deliveries_dedupe_key").on(t.webhookId, t.dedupeKey),
    check("webhook_deliveries_status_check", sql.raw(`status IN (${inList(DELIVERY_STATUSES)})`)),
  ],
);

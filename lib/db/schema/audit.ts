import { sql } from "drizzle-orm";
import { bigserial, check, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { ACTOR_TYPES, AUDIT_OUTCOMES, inList, type ActorType, type AuditOutcome } from "./enums";

/**
 * Append-only record of every change and every private-key download. Rows are written in the
 * same transaction as the change they record; a trigger (drizzle/0001) refuses UPDATE and DELETE.
 * Object and actor ids are plain text, not foreign keys, so history outlives what it describes.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actorType: text("actor_type").$type<ActorType>().notNull(),
    actorId: text("actor_id"),
    // Human-readable actor at the time (email, token name, "system"), kept even if the actor is deleted.
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    objectType: text("object_type"),
    objectId: text("object_id"),
    clusterId: text("cluster_id"),
    outcome: text("outcome").$type<AuditOutcome>().notNull().default("success"),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index("audit_events_occurred_idx").on(t.occurredAt),
    index("audit_events_cluster_idx").on(t.clusterId, t.occurredAt),
    index("audit_events_action_idx").on(t.action),
    check("audit_events_actor_type_check", sql.raw(`actor_type IN (${inList(ACTOR_TYPES)})`)),
    check("audit_events_outcome_check", sql.raw(`outcome IN (${inList(AUDIT_OUTCOMES)})`)),
  ],
);

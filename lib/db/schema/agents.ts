import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { nodes } from "./nodes";
import { users } from "./users";

/**
 * One-time enrollment codes ("Connect agent"): shown once, stored as SHA-256 only, single use,
 * short-lived. The code is the agent's only credential until it enrolls.
 */
export const agentEnrollmentCodes = pgTable(
  "agent_enrollment_codes",
  {
    id: id(),
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("agent_enrollment_codes_hash_key").on(t.codeHash), index("agent_enrollment_codes_node_idx").on(t.nodeId)],
);

/**
 * The agent of a node: its node credential (SHA-256 at rest, like API tokens), whether the server
 * asked it for a new key, and the last status it reported. At most one per node: enrolling again
 * replaces the credential.
 */
export const nodeAgents = pgTable(
  "node_agents",
  {
    id: id(),
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id, { onDelete: "cascade" }),
    credentialPrefix: text("credential_prefix").notNull(),
    credentialHash: text("credential_hash").notNull(),
    enrolledAt: timestamp("enrolled_at", { withTimezone: true }).notNull().defaultNow(),
    // Renewal window, Re-issue or CA rotation: the agent makes a new key and CSR on its next poll.
    renewalRequestedAt: timestamp("renewal_requested_at", { withTimezone: true }),
    // The first report where the served serial equals the issued one: from then on no key is stored.
    firstConfirmedAt: timestamp("first_confirmed_at", { withTimezone: true }),
    lastStatus: jsonb("last_status").$type<Record<string, unknown>>(),
    lastStatusAt: timestamp("last_status_at", { withTimezone: true }),
    // The agent's own poll interval (from its reports): silent for three of them, it is stale.
    pollIntervalSeconds: integer("poll_interval_seconds").notNull().default(60),
    // When agent.stale was sent for the current silence; cleared by the agent's next report.
    staleNotifiedAt: timestamp("stale_notified_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("node_agents_node_key").on(t.nodeId), uniqueIndex("node_agents_credential_hash_key").on(t.credentialHash)],
);

import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { DEVICE_AUTHORIZATION_STATES, inList, type DeviceAuthorizationState } from "./enums";
import { users } from "./users";

/**
 * A developer's laptop after `cluster-tls login`: its device credential (`ctlsd_…`, SHA-256 at
 * rest like API tokens), the clusters the login asked for (empty = every cluster its user may
 * see), and until when it works. Revoking it ends its logins; certificates it got stay listed.
 */
export const devices = pgTable(
  "devices",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    credentialPrefix: text("credential_prefix").notNull(),
    credentialHash: text("credential_hash").notNull(),
    clusterIds: uuid("cluster_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    // The address the login came from (the device code request) and the last one it used.
    ipAddress: text("ip_address"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedIp: text("last_used_ip"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("devices_credential_hash_key").on(t.credentialHash), index("devices_user_idx").on(t.userId)],
);

/**
 * One RFC 8628 device authorization: the device code (SHA-256 only), the user code shown to the
 * developer, what the device asked for, and its state. The device code is exchanged once: the
 * exchange creates the device and records it here.
 */
export const deviceAuthorizations = pgTable(
  "device_authorizations",
  {
    id: id(),
    deviceCodeHash: text("device_code_hash").notNull(),
    userCode: text("user_code").notNull(),
    clientId: text("client_id").notNull(),
    deviceName: text("device_name").notNull().default(""),
    requestedClusters: text("requested_clusters")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    state: text("state").$type<DeviceAuthorizationState>().notNull().default("pending"),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    // The approved scope as cluster ids (empty = all the user may see).
    clusterIds: uuid("cluster_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    intervalSeconds: integer("interval_seconds").notNull().default(5),
    lastPolledAt: timestamp("last_polled_at", { withTimezone: true }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    deviceId: uuid("device_id").references(() => devices.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("device_authorizations_device_code_key").on(t.deviceCodeHash),
    // A user code names one pending authorization at a time.
    uniqueIndex("device_authorizations_pending_user_code_key")
      .on(t.userCode)
      .where(sql`state = 'pending'`),
    check("device_authorizations_state_check", sql.raw(`state IN (${inList(DEVICE_AUTHORIZATION_STATES)})`)),
  ],
);

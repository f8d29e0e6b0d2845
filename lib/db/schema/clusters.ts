import { sql } from "drizzle-orm";
import { boolean, check, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { CONNECT_THROUGH, HBA_AUTH_MODES, KEY_ALGORITHMS, inList, type ConnectThrough, type HbaAuthMode, type KeyAlgorithm } from "./enums";

/** Subject fields the EDB and Engine Yard scripts put on every certificate of a cluster. */
export type SubjectTemplate = { C?: string; ST?: string; L?: string; O?: string; OU?: string };

export const clusters = pgTable(
  "clusters",
  {
    id: id(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    keyAlgorithm: text("key_algorithm").$type<KeyAlgorithm>().notNull().default("ecdsa-p256"),
    serverCertDays: integer("server_cert_days").notNull().default(397),
    clientCertDays: integer("client_cert_days").notNull().default(365),
    renewBeforeDays: integer("renew_before_days").notNull().default(30),
    crlDays: integer("crl_days").notNull().default(7),
    subjectTemplate: jsonb("subject_template").$type<SubjectTemplate>().notNull().default({}),
    // VIPs and read/write service names every server certificate of the cluster must carry.
    sharedDnsNames: text("shared_dns_names")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // A wildcard's key serves every host under the name: off unless an admin turns it on.
    allowWildcardNames: boolean("allow_wildcard_names").notNull().default(false),
    // DNS suffixes and IP ranges (CIDR) server certificates may name; the CA made next carries
    // them as nameConstraints. Empty = unconstrained.
    permittedNames: text("permitted_names")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    osOwner: text("os_owner").notNull().default("postgres"),
    dataDirectory: text("data_directory").notNull().default("/var/lib/postgresql/15/main"),
    replicationUser: text("replication_user").notNull().default("replicator"),
    hbaAuthMode: text("hba_auth_mode").$type<HbaAuthMode>().notNull().default("cert"),
    // Developer login (`cluster-tls connect`): how long its certificates live, and where it connects.
    loginCertHours: integer("login_cert_hours").notNull().default(12),
    connectThrough: text("connect_through").$type<ConnectThrough>().notNull().default("primary"),
    // "pgbouncer": which PgBouncer node; "shared": the shared name and port.
    connectNodeId: uuid("connect_node_id"),
    connectHost: text("connect_host"),
    connectPort: integer("connect_port"),
    connectDbname: text("connect_dbname").notNull().default("postgres"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("clusters_name_key").on(t.name),
    check("clusters_key_algorithm_check", sql.raw(`key_algorithm IN (${inList(KEY_ALGORITHMS)})`)),
    check("clusters_hba_auth_mode_check", sql.raw(`hba_auth_mode IN (${inList(HBA_AUTH_MODES)})`)),
    check("clusters_connect_through_check", sql.raw(`connect_through IN (${inList(CONNECT_THROUGH)})`)),
    check("clusters_login_cert_hours_check", sql`${t.loginCertHours} BETWEEN 1 AND 168`),
    check(
      "clusters_lifetimes_check",
      sql`${t.serverCertDays} > 0 AND ${t.clientCertDays} > 0 AND ${t.crlDays} > 0 AND ${t.renewBeforeDays} >= 0`,
    ),
  ],
);

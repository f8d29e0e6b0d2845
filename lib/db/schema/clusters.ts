import { sql } from "drizzle-orm";
import { boolean, check, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { HBA_AUTH_MODES, KEY_ALGORITHMS, inList, type HbaAuthMode, type KeyAlgorithm } from "./enums";

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
    sharedDnsNames: text("shared_dns_names").array().notNull().default(sql`'{}'::text[]`),
    // A wildcard's key serves every host under the name: off unless an admin turns it on.
    allowWildcardNames: boolean("allow_wildcard_names").notNull().default(false),
    // DNS suffixes and IP ranges (CIDR) server certificates may name; the CA made next carries
    // them as nameConstraints. Empty = unconstrained.
    permittedNames: text("permitted_names").array().notNull().default(sql`'{}'::text[]`),
    osOwner: text("os_owner").notNull().default("postgres"),
    dataDirectory: text("data_directory").notNull().default("/var/lib/postgresql/15/main"),
    replicationUser: text("replication_user").notNull().default("replicator"),
    hbaAuthMode: text("hba_auth_mode").$type<HbaAuthMode>().notNull().default("cert"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("clusters_name_key").on(t.name),
    check("clusters_key_algorithm_check", sql.raw(`key_algorithm IN (${inList(KEY_ALGORITHMS)})`)),
    check("clusters_hba_auth_mode_check", sql.raw(`hba_auth_mode IN (${inList(HBA_AUTH_MODES)})`)),
    check(
      "clusters_lifetimes_check",
      sql`${t.serverCertDays} > 0 AND ${t.clientCertDays} > 0 AND ${t.crlDays} > 0 AND ${t.renewBeforeDays} >= 0`,
    ),
  ],
);

import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { clusters } from "./clusters";
import { createdAt, id, updatedAt } from "./columns";
import { NODE_ROLES, inList, type NodeRole } from "./enums";

export const nodes = pgTable(
  "nodes",
  {
    id: id(),
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "restrict" }),
    hostname: text("hostname").notNull(),
    role: text("role").$type<NodeRole>().notNull(),
    port: integer("port").notNull().default(5432),
    dnsNames: text("dns_names")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ipAddresses: text("ip_addresses")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // The live TLS probe's last verdict (lib/services/nodes/probe-node): current, older, foreign, …
    lastProbeStatus: text("last_probe_status"),
    lastProbeDetail: text("last_probe_detail"),
    lastProbedAt: timestamp("last_probed_at", { withTimezone: true }),
    // Removed nodes stay for history; their certificates are revoked (cessationOfOperation).
    removedAt: timestamp("removed_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("nodes_cluster_hostname_key")
      .on(t.clusterId, t.hostname)
      .where(sql`removed_at IS NULL`),
    index("nodes_cluster_idx").on(t.clusterId),
    check("nodes_role_check", sql.raw(`role IN (${inList(NODE_ROLES)})`)),
    check("nodes_port_check", sql`${t.port} BETWEEN 1 AND 65535`),
  ],
);

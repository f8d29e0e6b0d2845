import { bigint, pgSequence, pgTable, uuid } from "drizzle-orm/pg-core";

/** Where every pki_versions.version comes from: values never repeat, even across clusters. */
export const pkiVersionSeq = pgSequence("pki_version_seq");

/**
 * A cluster's "PKI version": it changes whenever anything served from root.crt or the CRL
 * endpoints may have changed — any insert, update or delete on certificate_authorities or crls.
 * The database keeps it (deferred triggers, migration 0007_pki_versions), so no writer can forget
 * it and every app instance on the same database sees it: the published-file cache compares it on
 * every request. No foreign key: bookkeeping must never make a PKI write fail, and a row left by a
 * deleted cluster is harmless. A cluster without a row has never changed since this was added (0).
 */
export const pkiVersions = pgTable("pki_versions", {
  clusterId: uuid("cluster_id").primaryKey(),
  version: bigint("version", { mode: "bigint" }).notNull(),
});

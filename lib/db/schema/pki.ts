import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { clusters } from "./clusters";
import { createdAt, id, updatedAt } from "./columns";
import {
  CA_KINDS,
  CA_ORIGINS,
  CA_STATES,
  CERTIFICATE_KINDS,
  CERTIFICATE_STATUSES,
  REVOCATION_REASONS,
  inList,
  type CaKind,
  type CaOrigin,
  type CaState,
  type CertificateKind,
  type CertificateStatus,
  type KeyAlgorithm,
  type RevocationReason,
} from "./enums";
import { devices } from "./devices";
import { nodes } from "./nodes";
import { apiTokens, users } from "./users";

/** DER blobs (CRLs): bytea, read back as Uint8Array on both PGlite and node-postgres. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * Every certificate the product knows: CA certificates, server (node) and client certificates.
 * Server private keys are stored as an encrypted envelope (lib/secrets); client keys never are.
 */
export const certificates = pgTable(
  "certificates",
  {
    id: id(),
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "restrict" }),
    // The CA that signed it; NULL only for a self-signed root or an imported external CA.
    issuerCaId: uuid("issuer_ca_id").references((): AnyPgColumn => certificateAuthorities.id, { onDelete: "restrict" }),
    kind: text("kind").$type<CertificateKind>().notNull(),
    status: text("status").$type<CertificateStatus>().notNull().default("active"),
    // Upper-case hex without colons, as `openssl x509 -serial` prints it.
    serialHex: text("serial_hex").notNull(),
    subject: text("subject").notNull(),
    commonName: text("common_name").notNull(),
    dnsNames: text("dns_names")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ipAddresses: text("ip_addresses")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    keyAlgorithm: text("key_algorithm").$type<KeyAlgorithm>().notNull(),
    notBefore: timestamp("not_before", { withTimezone: true }).notNull(),
    notAfter: timestamp("not_after", { withTimezone: true }).notNull(),
    fingerprintSha256: text("fingerprint_sha256").notNull(),
    certificatePem: text("certificate_pem").notNull(),
    encryptedPrivateKey: text("encrypted_private_key"),
    nodeId: uuid("node_id").references(() => nodes.id, { onDelete: "restrict" }),
    databaseUser: text("database_user"),
    ownerUserId: text("owner_user_id").references(() => users.id, { onDelete: "set null" }),
    issuedByUserId: text("issued_by_user_id").references(() => users.id, { onDelete: "set null" }),
    issuedByTokenId: uuid("issued_by_token_id").references(() => apiTokens.id, { onDelete: "set null" }),
    // Lineage: the certificate this one replaced on re-issue or renewal.
    replacesCertificateId: uuid("replaces_certificate_id").references((): AnyPgColumn => certificates.id, {
      onDelete: "set null",
    }),
    fromCsr: boolean("from_csr").notNull().default(false),
    // The developer login (`cluster-tls connect`) that got it; its key never reached this server.
    deviceId: uuid("device_id").references(() => devices.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revocationReason: text("revocation_reason").$type<RevocationReason>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // RFC 5280 §4.1.2.2: a serial is unique per issuer.
    uniqueIndex("certificates_issuer_serial_key").on(t.issuerCaId, t.serialHex),
    // A node serves exactly one server certificate at a time.
    uniqueIndex("certificates_one_active_server_per_node")
      .on(t.nodeId)
      .where(sql`kind = 'server' AND status = 'active'`),
    // "Expiring soonest" lists and the renewal job scan active certificates by notAfter.
    index("certificates_active_expiry_idx")
      .on(t.notAfter)
      .where(sql`status = 'active'`),
    index("certificates_cluster_expiry_idx").on(t.clusterId, t.notAfter),
    index("certificates_node_idx").on(t.nodeId),
    index("certificates_serial_idx").on(t.serialHex),
    index("certificates_device_idx").on(t.deviceId),
    check("certificates_kind_check", sql.raw(`kind IN (${inList(CERTIFICATE_KINDS)})`)),
    check("certificates_status_check", sql.raw(`status IN (${inList(CERTIFICATE_STATUSES)})`)),
    check(
      "certificates_revocation_reason_check",
      sql.raw(`revocation_reason IS NULL OR revocation_reason IN (${inList(REVOCATION_REASONS)})`),
    ),
    check("certificates_revoked_consistency_check", sql`(status = 'revoked') = (revoked_at IS NOT NULL)`),
    check("certificates_validity_check", sql`${t.notAfter} > ${t.notBefore}`),
  ],
);

export const certificateAuthorities = pgTable(
  "certificate_authorities",
  {
    id: id(),
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "restrict" }),
    kind: text("kind").$type<CaKind>().notNull(),
    state: text("state").$type<CaState>().notNull().default("active"),
    // An intermediate's parent, when the parent is one of ours (NULL for roots and external parents).
    parentCaId: uuid("parent_ca_id").references((): AnyPgColumn => certificateAuthorities.id, { onDelete: "restrict" }),
    certificateId: uuid("certificate_id")
      .notNull()
      .references(() => certificates.id, { onDelete: "restrict" }),
    origin: text("origin").$type<CaOrigin>().notNull().default("generated"),
    // PEM of issuers above this CA that are not ours, up to and including the external root:
    // the intermediates go into server.crt/client.crt, the root into root.crt.
    externalChainPem: text("external_chain_pem").notNull().default(""),
    // CRLs of those external issuers, uploaded by an admin: PostgreSQL checks every CA of a
    // client's chain against ssl_crl_file (CRL_CHECK_ALL), so root.crl must carry them too.
    externalCrlPem: text("external_crl_pem").notNull().default(""),
    externalCrlNextUpdate: timestamp("external_crl_next_update", { withTimezone: true }),
    encryptedPrivateKey: text("encrypted_private_key").notNull(),
    // Next CRL number to use; RFC 5280 §5.2.3 requires it to increase monotonically per CA.
    nextCrlNumber: bigint("next_crl_number", { mode: "bigint" })
      .notNull()
      .default(sql`1`),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("certificate_authorities_certificate_key").on(t.certificateId),
    index("certificate_authorities_cluster_idx").on(t.clusterId),
    check("certificate_authorities_kind_check", sql.raw(`kind IN (${inList(CA_KINDS)})`)),
    check("certificate_authorities_state_check", sql.raw(`state IN (${inList(CA_STATES)})`)),
    check("certificate_authorities_origin_check", sql.raw(`origin IN (${inList(CA_ORIGINS)})`)),
  ],
);

export const crls = pgTable(
  "crls",
  {
    id: id(),
    caId: uuid("ca_id")
      .notNull()
      .references(() => certificateAuthorities.id, { onDelete: "restrict" }),
    crlNumber: bigint("crl_number", { mode: "bigint" }).notNull(),
    thisUpdate: timestamp("this_update", { withTimezone: true }).notNull(),
    nextUpdate: timestamp("next_update", { withTimezone: true }).notNull(),
    entryCount: integer("entry_count").notNull(),
    der: bytea("der").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("crls_ca_number_key").on(t.caId, t.crlNumber), index("crls_next_update_idx").on(t.nextUpdate)],
);

/**
 * An intermediate CA waiting for an external root to sign it: the key made here (encrypted) and
 * the CSR handed to the external CA's operators. Uploading the signed certificate turns it into
 * the cluster's CA and deletes the request; until then the cluster issues nothing.
 */
export const caRequests = pgTable(
  "ca_requests",
  {
    id: id(),
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "restrict" }),
    subject: text("subject").notNull(),
    keyAlgorithm: text("key_algorithm").$type<KeyAlgorithm>().notNull(),
    csrPem: text("csr_pem").notNull(),
    encryptedPrivateKey: text("encrypted_private_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("ca_requests_cluster_key").on(t.clusterId)],
);

/**
 * Allowed values for text columns. Kept as plain string unions with CHECK constraints (not
 * PostgreSQL enums) so a later step can add a value with an ordinary migration.
 */
export const KEY_ALGORITHMS = ["ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096", "ed25519"] as const;
export const CA_KINDS = ["root", "intermediate"] as const;
/**
 * A CA's life: `pending` (made by a rotation, not yet trusted) → `published` (in root.crt, not
 * signing yet) → `active` (signs) → `retiring` (still trusted, no longer signs) → `retired`.
 */
/**
 * Where a CA's certificate came from: made here, imported with its key, or signed by an external
 * root from a CSR made here (the last two may carry an external chain and its CRLs).
 */
export const CA_ORIGINS = ["generated", "imported", "external-csr"] as const;
export const CA_STATES = ["pending", "published", "active", "retiring", "retired"] as const;
/** States whose certificate is in root.crt and whose CRL is kept fresh. */
export const TRUSTED_CA_STATES = ["published", "active", "retiring"] as const satisfies readonly CaState[];
export const NODE_ROLES = ["primary", "replica", "pgpool", "pgbouncer", "other"] as const;
export const CERTIFICATE_KINDS = ["ca", "server", "client"] as const;
export const CERTIFICATE_STATUSES = ["active", "superseded", "revoked", "expired"] as const;
export const USER_ROLES = ["admin", "developer", "auditor"] as const;
export const HBA_AUTH_MODES = ["cert", "scram-cert", "scram"] as const;
export const ACTOR_TYPES = ["user", "token", "system", "cli", "anonymous", "node", "device"] as const;
/** An RFC 8628 device authorization: waiting for the user, decided, or exchanged for a device credential. */
export const DEVICE_AUTHORIZATION_STATES = ["pending", "approved", "denied", "exchanged"] as const;
/** Where developers reach a cluster: its primary node, a PgBouncer node, or a shared name and port. */
export const CONNECT_THROUGH = ["primary", "pgbouncer", "shared"] as const;
export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;

/** RFC 5280 §5.3.1 CRLReason names. */
export const REVOCATION_REASONS = [
  "unspecified",
  "keyCompromise",
  "cACompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
  "certificateHold",
  "privilegeWithdrawn",
  "aACompromise",
] as const;

/**
 * The reasons a revocation may give here. certificateHold is not one: it promises a release
 * (removeFromCRL, RFC 5280 §5.3.1) that this CA never publishes, so a "hold" would be a permanent
 * revocation under a misleading name. Rows and imported CRLs that carry it still read back.
 */
export const ACCEPTED_REVOCATION_REASONS = [
  "unspecified",
  "keyCompromise",
  "cACompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
  "privilegeWithdrawn",
  "aACompromise",
] as const satisfies readonly (typeof REVOCATION_REASONS)[number][];

export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];
export type CaKind = (typeof CA_KINDS)[number];
export type CaState = (typeof CA_STATES)[number];
export type CaOrigin = (typeof CA_ORIGINS)[number];
export type NodeRole = (typeof NODE_ROLES)[number];
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];
export type UserRole = (typeof USER_ROLES)[number];
export type HbaAuthMode = (typeof HBA_AUTH_MODES)[number];
export type ActorType = (typeof ACTOR_TYPES)[number];
export type DeviceAuthorizationState = (typeof DEVICE_AUTHORIZATION_STATES)[number];
export type ConnectThrough = (typeof CONNECT_THROUGH)[number];
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** `CHECK (col IN ('a','b'))` body for a list of allowed values. */
export function inList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(", ");
}

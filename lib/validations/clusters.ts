import { z } from "zod";
import { CONNECT_THROUGH, HBA_AUTH_MODES, KEY_ALGORITHMS } from "@/lib/db/schema/enums";
import { MAX_SERVER_CERT_DAYS } from "@/lib/pki/lifetimes";
import { nameConstraintsFor, namesOutside } from "@/lib/pki/name-constraints";
import { ZDatabaseUser } from "./access";
import { listOf, ZDnsName, ZPermittedName } from "./dns-names";
import { emptyToUndefined } from "./empty-to-undefined";
import { ZFlag } from "./flag";
import { pemText } from "./pem-text";

const days = (label: string, max: number) =>
  z.coerce
    .number({ message: `${label} must be a number of days` })
    .int()
    .min(1, `${label}: at least 1 day`)
    .max(max, `${label}: at most ${max} days`);

const ZClusterSettingsFields = z.object({
  description: z.string().trim().max(500).optional().default(""),
  serverCertDays: days("Server certificate lifetime", MAX_SERVER_CERT_DAYS).optional().default(397),
  clientCertDays: days("Client certificate lifetime", 825).optional().default(365),
  renewBeforeDays: z.coerce
    .number({ message: "Renew-before must be a number of days" })
    .int()
    .min(0)
    .max(365, "Renew-before: at most 365 days")
    .optional()
    .default(30),
  crlDays: days("CRL lifetime", 90).optional().default(7),
  sharedDnsNames: listOf(ZDnsName, 50).optional().default([]),
  allowWildcardNames: ZFlag.optional().default(false),
  permittedNames: listOf(ZPermittedName, 50).optional().default([]),
  organization: z.string().trim().max(64).optional().default(""),
  osOwner: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "A system user name such as postgres or enterprisedb")
    .optional()
    .default("postgres"),
  dataDirectory: z
    .string()
    .trim()
    .regex(/^\/[A-Za-z0-9._/-]{1,250}$/, "An absolute path of letters, digits, . _ - and /")
    .refine((p) => !p.split("/").includes(".."), "No .. in the data directory")
    .optional()
    .default("/var/lib/postgresql/15/main"),
  replicationUser: ZDatabaseUser.optional().default("replicator"),
  hbaAuthMode: z
    .enum(HBA_AUTH_MODES, { message: `Authentication must be one of ${HBA_AUTH_MODES.join(", ")}` })
    .optional()
    .default("cert"),
  // Developer login: short lifetimes are the revocation story where no CRL is read (PgBouncer).
  loginCertHours: z.coerce
    .number({ message: "Login certificate lifetime must be a number of hours" })
    .int("Login certificate lifetime: whole hours")
    .min(1, "Login certificate lifetime: at least 1 hour")
    .max(168, "Login certificate lifetime: at most 168 hours (7 days)")
    .optional()
    .default(12),
  connectThrough: z
    .enum(CONNECT_THROUGH, { message: `Connect through must be one of ${CONNECT_THROUGH.join(", ")}` })
    .optional()
    .default("primary"),
  connectNodeId: z
    .preprocess(emptyToUndefined, z.string().uuid("Choose a PgBouncer node").nullable().optional())
    .transform((v) => v ?? null),
  connectHost: z.preprocess(emptyToUndefined, ZDnsName.nullable().optional()).transform((v) => v ?? null),
  connectPort: z
    .preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "Port must be a number" })
        .int()
        .min(1, "Port: 1 to 65535")
        .max(65535, "Port: 1 to 65535")
        .nullable()
        .optional(),
    )
    .transform((v) => v ?? null),
  connectDbname: z
    .string()
    .trim()
    .min(1, "Name the database developers connect to")
    .max(63, "PostgreSQL database names are at most 63 bytes")
    .regex(/^[A-Za-z0-9_$.-]+$/, "Use letters, digits, _ $ . -")
    .optional()
    .default("postgres"),
});

type ConnectFields = { connectThrough: (typeof CONNECT_THROUGH)[number]; connectHost: string | null };

/** "A shared name and port" needs the name. */
function checkConnect({ connectThrough, connectHost }: ConnectFields, ctx: z.RefinementCtx<ConnectFields>) {
  if (connectThrough === "shared" && !connectHost)
    ctx.addIssue({
      code: "custom",
      path: ["connectHost"],
      message: "Give the shared name developers connect to (a VIP or service name on the server certificates)",
    });
}

type NamePolicyFields = { sharedDnsNames: string[]; allowWildcardNames: boolean; permittedNames: string[] };

/**
 * Every server certificate carries the shared names, so a shared name the cluster's own policy
 * refuses would make every node add and re-issue fail: refuse it here, on the field.
 */
function checkNamePolicy({ sharedDnsNames, allowWildcardNames, permittedNames }: NamePolicyFields, ctx: z.RefinementCtx<NamePolicyFields>) {
  const wildcards = sharedDnsNames.filter((name) => name.startsWith("*."));
  if (wildcards.length > 0 && !allowWildcardNames)
    ctx.addIssue({
      code: "custom",
      path: ["sharedDnsNames"],
      message: `${wildcards.join(", ")}: wildcard names need "Allow wildcard names"`,
    });
  const constraints = nameConstraintsFor(permittedNames);
  if (!constraints) return;
  // A server certificate always names at least one DNS name, so an IP-only list would refuse them all.
  if (!constraints.permitted.some((s) => s.type === "dns"))
    ctx.addIssue({
      code: "custom",
      path: ["permittedNames"],
      message: "Include at least one DNS suffix: every server certificate carries a DNS name",
    });
  const outside = namesOutside(constraints, { dnsNames: sharedDnsNames, ipAddresses: [] });
  if (outside.length > 0)
    ctx.addIssue({ code: "custom", path: ["sharedDnsNames"], message: `${outside.join(", ")}: outside the permitted names` });
}

/**
 * Settings an admin may change after creation (the data directory and OS owner end up in
 * install.sh, so they are restricted to characters that need no shell quoting). Permitted names
 * apply to issuance at once and go into the next CA made (rotation) as its nameConstraints.
 */
export const ZClusterSettingsInput = ZClusterSettingsFields.superRefine(checkNamePolicy).superRefine(checkConnect);
export type TClusterSettingsInput = z.input<typeof ZClusterSettingsInput>;
/** The settings form's input: the settings and the cluster they belong to. */
export const ZClusterSettingsFormInput = ZClusterSettingsFields.extend({ clusterId: z.string().uuid() })
  .superRefine(checkNamePolicy)
  .superRefine(checkConnect);

/**
 * Where the cluster's CA comes from: made here (a new root), imported with its key (a root, or an
 * intermediate with its chain and the chain's CRLs), or an intermediate made here whose CSR an
 * external root signs (the cluster waits for the signed certificate).
 */
const CA_SOURCES = ["generate", "import", "csr"] as const;
export type CaSource = (typeof CA_SOURCES)[number];
const pem = (max: number) =>
  z
    .string()
    .max(max, `At most ${max / 1024} KiB`)
    .optional()
    .default("");

export const ZCreateClusterInput = ZClusterSettingsFields.extend({
  ca: z
    .enum(CA_SOURCES, { message: `ca must be one of ${CA_SOURCES.join(", ")}` })
    .optional()
    .default("generate"),
  caCertificatePem: pem(64 * 1024),
  caPrivateKeyPem: pem(64 * 1024),
  caChainPem: pem(256 * 1024),
  // A corporate root's CRL can be large.
  caCrlPem: pem(16 * 1024 * 1024),
  name: z
    .string()
    .trim()
    .min(1, "Name the cluster (e.g. orders-prod)")
    .max(63, "At most 63 characters")
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "Use lower-case letters, digits, - and _ (it appears in URLs and file names)"),
  keyAlgorithm: z
    .enum(KEY_ALGORITHMS, { message: `Key algorithm must be one of ${KEY_ALGORITHMS.join(", ")}` })
    .optional()
    .default("ecdsa-p256"),
}).superRefine(checkNamePolicy);
export type TCreateClusterInput = z.input<typeof ZCreateClusterInput>;

/** The certificate an external root signed for a cluster created with `ca: "csr"`, with its chain and their CRLs. */
export const ZCompleteCaRequestInput = z.object({
  certificatePem: pemText("CA certificate", 64 * 1024),
  chainPem: z
    .string()
    .max(256 * 1024, "At most 256 KiB")
    .optional(),
  // A corporate root's CRL can be large.
  crlPem: z
    .string()
    .max(16 * 1024 * 1024, "At most 16384 KiB")
    .optional(),
});
export type TCompleteCaRequestInput = z.input<typeof ZCompleteCaRequestInput>;

/** Fresh CRLs of the external issuers above a cluster's intermediate CA. */
export const ZUpdateExternalCrlInput = z.object({ crlPem: pemText("CRL", 16 * 1024 * 1024) });
export type TUpdateExternalCrlInput = z.input<typeof ZUpdateExternalCrlInput>;

/** `?format=pem`: the CRL of every trusted CA as PEM (what ssl_crl_file takes); anything else DER. */
export const ZCrlQuery = z.object({ format: z.enum(["der", "pem"]).optional().catch(undefined) });

import { z } from "zod";
import { HBA_AUTH_MODES, KEY_ALGORITHMS } from "@/lib/db/schema/enums";
import { ZDatabaseUser } from "./access";

const ZDnsName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "Not a valid DNS name");

/** "a.example, b.example" or a list → de-duplicated DNS names. */
const ZDnsNameList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(ZDnsName).max(50))
  .transform((list) => [...new Set(list)]);

const days = (label: string, max: number) => z.coerce.number({ message: `${label} must be a number of days` }).int().min(1, `${label}: at least 1 day`).max(max, `${label}: at most ${max} days`);

/**
 * Settings an admin may change after creation. The data directory and OS owner end up in
 * install.sh, so they are restricted to characters that need no shell quoting.
 */
export const ZClusterSettingsInput = z.object({
  description: z.string().trim().max(500).optional().default(""),
  serverCertDays: days("Server certificate lifetime", 825).optional().default(397),
  clientCertDays: days("Client certificate lifetime", 825).optional().default(365),
  renewBeforeDays: z.coerce.number({ message: "Renew-before must be a number of days" }).int().min(0).max(365, "Renew-before: at most 365 days").optional().default(30),
  crlDays: days("CRL lifetime", 90).optional().default(7),
  sharedDnsNames: ZDnsNameList.optional().default([]),
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
  hbaAuthMode: z.enum(HBA_AUTH_MODES, { message: `Authentication must be one of ${HBA_AUTH_MODES.join(", ")}` }).optional().default("cert"),
});
export type TClusterSettingsInput = z.input<typeof ZClusterSettingsInput>;

/**
 * Where the cluster's CA comes from: made here (a new root), imported with its key (a root, or an
 * intermediate with its chain and the chain's CRLs), or an intermediate made here whose CSR an
 * external root signs (the cluster waits for the signed certificate).
 */
export const CA_SOURCES = ["generate", "import", "csr"] as const;
export type CaSource = (typeof CA_SOURCES)[number];
const pem = (max: number) => z.string().max(max, `At most ${max / 1024} KiB`).optional().default("");

export const ZCreateClusterInput = ZClusterSettingsInput.extend({
  ca: z.enum(CA_SOURCES, { message: `ca must be one of ${CA_SOURCES.join(", ")}` }).optional().default("generate"),
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
  keyAlgorithm: z.enum(KEY_ALGORITHMS, { message: `Key algorithm must be one of ${KEY_ALGORITHMS.join(", ")}` }).optional().default("ecdsa-p256"),
});
export type TCreateClusterInput = z.input<typeof ZCreateClusterInput>;

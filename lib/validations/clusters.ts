import { z } from "zod";
import { KEY_ALGORITHMS } from "@/lib/db/schema/enums";

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

export const ZCreateClusterInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the cluster (e.g. orders-prod)")
    .max(63, "At most 63 characters")
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "Use lower-case letters, digits, - and _ (it appears in URLs and file names)"),
  description: z.string().trim().max(500).optional().default(""),
  keyAlgorithm: z.enum(KEY_ALGORITHMS, { message: `Key algorithm must be one of ${KEY_ALGORITHMS.join(", ")}` }).optional().default("ecdsa-p256"),
  serverCertDays: days("Server certificate lifetime", 825).optional().default(397),
  clientCertDays: days("Client certificate lifetime", 825).optional().default(365),
  renewBeforeDays: z.coerce.number().int().min(0).max(365).optional().default(30),
  crlDays: days("CRL lifetime", 90).optional().default(7),
  sharedDnsNames: ZDnsNameList.optional().default([]),
  organization: z.string().trim().max(64).optional().default(""),
});
export type TCreateClusterInput = z.input<typeof ZCreateClusterInput>;

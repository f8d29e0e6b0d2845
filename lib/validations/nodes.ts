import { z } from "zod";
import { NODE_ROLES } from "@/lib/db/schema/enums";
import { isIpAddress } from "@/lib/pki/names";
import { listOf, ZDnsName, ZHostname } from "./dns-names";
import { ZFlag } from "./flag";
import { ZLifetimeDays } from "./lifetime-days";
import { pemText } from "./pem-text";

export const ZAddNodeInput = z.object({
  hostname: ZHostname,
  role: z.enum(NODE_ROLES, { message: `Role must be one of ${NODE_ROLES.join(", ")}` }),
  port: z.coerce.number().int().min(1).max(65535).optional().default(5432),
  dnsNames: listOf(ZDnsName, 50).optional().default([]),
  ipAddresses: listOf(z.string().toLowerCase().refine(isIpAddress, "Not a valid IPv4 or IPv6 address"), 50).optional().default([]),
});
export type TAddNodeInput = z.input<typeof ZAddNodeInput>;

/** Re-issue a node's server certificate; the previous one is superseded, or revoked with `revokePrevious`. */
export const ZReissueNodeInput = z.object({ revokePrevious: ZFlag.optional().default(false) });
export type TReissueNodeInput = z.input<typeof ZReissueNodeInput>;

/** A node's certificate signed from its own CSR (the key never leaves the node). */
export const ZSignNodeCsrInput = ZReissueNodeInput.extend({ csrPem: pemText("certificate request"), days: ZLifetimeDays });
export type TSignNodeCsrInput = z.input<typeof ZSignNodeCsrInput>;

/** Re-issue every live node of a cluster, or only the listed ones. */
export const ZBulkReissueInput = ZReissueNodeInput.extend({
  nodeIds: z.array(z.guid("a node id (UUID)"), { message: "a list of node ids (UUIDs)" }).max(10_000, "At most 10,000 nodes").optional(),
});
export type TBulkReissueInput = z.input<typeof ZBulkReissueInput>;

import { z } from "zod";
import { NODE_ROLES } from "@/lib/db/schema/enums";
import { isIpAddress } from "@/lib/pki/names";
import { listOf, ZDnsName, ZHostname } from "./dns-names";

export const ZAddNodeInput = z.object({
  hostname: ZHostname,
  role: z.enum(NODE_ROLES, { message: `Role must be one of ${NODE_ROLES.join(", ")}` }),
  port: z.coerce.number().int().min(1).max(65535).optional().default(5432),
  dnsNames: listOf(ZDnsName, 50).optional().default([]),
  ipAddresses: listOf(z.string().toLowerCase().refine(isIpAddress, "Not a valid IPv4 or IPv6 address"), 50).optional().default([]),
});
export type TAddNodeInput = z.input<typeof ZAddNodeInput>;

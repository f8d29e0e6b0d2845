import { z } from "zod";
import { NODE_ROLES } from "@/lib/db/schema/enums";
import { isIpAddress } from "@/lib/pki/names";

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** "a, b c" or ["a", "b"] → trimmed, de-duplicated strings. */
const list = (item: z.ZodType<string, string>, max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,]+/)).map((s) => s.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(item).max(max))
    .transform((values) => [...new Set(values)]);

const ZHostname = z.string().trim().toLowerCase().min(1, "Enter the node's host name").max(253).regex(DNS_NAME, "Not a valid host name (e.g. db1.orders.internal)");

export const ZAddNodeInput = z.object({
  hostname: ZHostname,
  role: z.enum(NODE_ROLES, { message: `Role must be one of ${NODE_ROLES.join(", ")}` }),
  port: z.coerce.number().int().min(1).max(65535).optional().default(5432),
  dnsNames: list(z.string().regex(DNS_NAME, "Not a valid DNS name"), 50).optional().default([]),
  ipAddresses: list(z.string().refine(isIpAddress, "Not a valid IPv4 or IPv6 address"), 50).optional().default([]),
});
export type TAddNodeInput = z.input<typeof ZAddNodeInput>;

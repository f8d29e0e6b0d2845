import { z } from "zod";
import { isPkiError } from "@/lib/pki/errors";
import { formatSubtree, parsePermittedName } from "@/lib/pki/name-constraints";
import { normalizeDnsName } from "@/lib/pki/names";

/** lib/pki's rule for what a name is, form and issuance alike; its refusal (or `message`) as the field's message. */
function byPki<T>(parse: (value: string) => T, message?: (value: string) => string) {
  return (value: string, ctx: z.RefinementCtx<string>): T => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: message?.(value) ?? (isPkiError(error) ? error.message : "Not valid") });
      return z.NEVER;
    }
  };
}

/**
 * A DNS name as a certificate will carry it (RFC 1123 labels; a wildcard only as the whole
 * leftmost label of a name with at least three labels, RFC 6125 §6.4.3: no "*.com").
 */
export const ZDnsName = z.string().trim().max(253, "At most 253 characters").transform(byPki(normalizeDnsName));

/** A node's host name: its CN and the name it is dialled by, so never a wildcard. */
export const ZHostname = z
  .string()
  .trim()
  .min(1, "Enter the node's host name")
  .max(253, "At most 253 characters")
  .refine(
    (v) => !v.startsWith("*"),
    "A host name cannot be a wildcard (put *.name in the DNS names, with wildcards allowed in the cluster's settings)",
  )
  .transform(byPki(normalizeDnsName, (value) => `"${value.slice(0, 80)}" is not a valid host name (e.g. db1.orders.internal)`));

/** "db.example" or an IP range "10.0.0.0/8", in canonical text. */
export const ZPermittedName = z
  .string()
  .trim()
  .max(253, "At most 253 characters")
  .transform(byPki((value) => formatSubtree(parsePermittedName(value))));

/** "a, b c" or ["a", "b"] → trimmed, de-duplicated items. */
export const listOf = <T extends z.ZodType<string, string>>(item: T, max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(max, `At most ${max}`))
    .transform((values) => [...new Set(values)]);

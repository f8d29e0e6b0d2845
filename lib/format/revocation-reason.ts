import type { RevocationReasonName } from "@/lib/pki/crl/reasons";

/**
 * The reason a revoke dialog starts on. Key compromise tells every relying party the key is in
 * someone else's hands (RFC 5280 §5.3.1): that has to be a deliberate choice, never the default.
 * A certificate that a newer one replaced is, by definition, superseded.
 */
export function defaultRevocationReason({ hasNewer = false }: { hasNewer?: boolean }): RevocationReasonName {
  return hasNewer ? "superseded" : "unspecified";
}

import { z } from "zod";
import { ACCEPTED_REVOCATION_REASONS } from "@/lib/db/schema/enums";

/** Revoke a certificate; no reason means "unspecified" (RFC 5280 §5.3.1). */
export const ZRevokeCertificateInput = z.object({
  reason: z.enum(ACCEPTED_REVOCATION_REASONS, { message: `reason must be one of ${ACCEPTED_REVOCATION_REASONS.join(", ")}` }).optional(),
});
export type TRevokeCertificateInput = z.input<typeof ZRevokeCertificateInput>;

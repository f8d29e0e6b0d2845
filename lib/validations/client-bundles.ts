import { z } from "zod";
import { ZDatabaseUser } from "./access";
import { ZLifetimeDays } from "./lifetime-days";
import { pemText } from "./pem-text";

export const ZIssueClientBundleInput = z.object({
  databaseUser: ZDatabaseUser,
  days: ZLifetimeDays,
  p12Password: z
    .string()
    .max(128)
    .regex(/^[\x20-\x7e]*$/, "Use printable ASCII only (Java refuses other characters)")
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type TIssueClientBundleInput = z.input<typeof ZIssueClientBundleInput>;

/** A client certificate for the requester's own key: the CN must be the database user. */
export const ZSignClientCsrInput = z.object({ databaseUser: ZDatabaseUser, days: ZLifetimeDays, csrPem: z.string() });
export type TSignClientCsrInput = z.input<typeof ZSignClientCsrInput>;

/**
 * POST …/client-certificates: with `csrPem` the certificate for the caller's own key (JSON),
 * without it a bundle with a key made here (a zip). A CSR that is not text must not fall through
 * to "generate a key for me", so `csrPem` is refused by type rather than ignored.
 */
export const ZIssueClientCertificateInput = ZIssueClientBundleInput.extend({ csrPem: pemText("certificate request").optional() });
export type TIssueClientCertificateInput = z.input<typeof ZIssueClientCertificateInput>;

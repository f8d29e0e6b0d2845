import { z } from "zod";
import { ZDatabaseUser } from "./access";
import { emptyToUndefined } from "./empty-to-undefined";

const WHOLE_DAYS = "Lifetime must be a whole number of days";
/** A form sends the field as text ("" when left empty); an API client sends a number or nothing. */
const ZClientDays = z.preprocess(emptyToUndefined, z.coerce.number({ message: WHOLE_DAYS }).int(WHOLE_DAYS).min(1, "At least 1 day").max(825, "At most 825 days").optional());

export const ZIssueClientBundleInput = z.object({
  databaseUser: ZDatabaseUser,
  days: ZClientDays,
  p12Password: z
    .string()
    .max(128)
    .regex(/^[\x20-\x7e]*$/, "Use printable ASCII only (Java refuses other characters)")
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type TIssueClientBundleInput = z.input<typeof ZIssueClientBundleInput>;

/** A client certificate for the requester's own key: the CN must be the database user. */
export const ZSignClientCsrInput = z.object({ databaseUser: ZDatabaseUser, days: ZClientDays, csrPem: z.string() });
export type TSignClientCsrInput = z.input<typeof ZSignClientCsrInput>;

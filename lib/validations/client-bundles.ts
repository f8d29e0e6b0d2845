import { z } from "zod";
import { ZDatabaseUser } from "./access";

export const ZIssueClientBundleInput = z.object({
  databaseUser: ZDatabaseUser,
  days: z.coerce.number().int().min(1, "At least 1 day").max(825, "At most 825 days").optional(),
  p12Password: z
    .string()
    .max(128)
    .regex(/^[\x20-\x7e]*$/, "Use printable ASCII only (Java refuses other characters)")
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type TIssueClientBundleInput = z.input<typeof ZIssueClientBundleInput>;

import { z } from "zod";
import { searchText } from "./postgres-text";

const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
  .optional()
  .or(z.literal("").transform(() => undefined));

/** Audit log filters as they arrive in the query string (all optional). */
export const ZAuditFilters = z.object({
  actor: z.string().trim().max(200).transform(searchText).optional(),
  cluster: z.string().trim().max(100).transform(searchText).optional(),
  action: z.string().trim().max(100).transform(searchText).optional(),
  from: ZDay,
  to: ZDay,
});
export type TAuditFilters = z.infer<typeof ZAuditFilters>;

import { z } from "zod";
import { CERTIFICATE_KINDS } from "@/lib/db/schema/enums";
import { emptyToUndefined } from "./empty-to-undefined";
import { searchText } from "./postgres-text";

/**
 * No status means "current": what is still deployed (valid, expiring or expired), not the
 * revoked and superseded history beside it; "all" shows that history too.
 */
export const CERTIFICATE_FILTER_STATUSES = ["active", "expiring", "expired", "revoked", "superseded", "all"] as const;
const CERTIFICATE_SORTS = ["days-left", "-days-left", "issued", "-issued"] as const;
export const CERTIFICATES_PAGE_SIZE = 50;

/** Certificates page filters as they arrive in the query string; anything unknown is refused. */
export const ZCertificateFilters = z.object({
  cluster: z.preprocess(emptyToUndefined, z.string().uuid("Unknown cluster").optional()),
  kind: z.preprocess(emptyToUndefined, z.enum(CERTIFICATE_KINDS).optional()),
  status: z.preprocess(emptyToUndefined, z.enum(CERTIFICATE_FILTER_STATUSES).optional()),
  q: z.preprocess(emptyToUndefined, z.string().trim().max(200).transform(searchText).optional()),
  sort: z.preprocess(emptyToUndefined, z.enum(CERTIFICATE_SORTS).default("days-left")),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});
export type TCertificateFilters = z.infer<typeof ZCertificateFilters>;

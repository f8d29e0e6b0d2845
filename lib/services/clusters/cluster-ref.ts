import "server-only";
import { eq, or, sql, type SQL } from "drizzle-orm";
import { schema } from "@/lib/db";
import { containsNul } from "@/lib/validations/postgres-text";
import { isUuid } from "@/lib/validations/uuid";

/** WHERE for a cluster named by id or name (a name that is not a UUID is never cast to one). */
export function clusterRefCondition(ref: string): SQL | undefined {
  const { clusters } = schema;
  // No name holds a NUL (PostgreSQL text refuses U+0000; as a parameter it fails the query).
  if (containsNul(ref)) return sql`false`;
  return isUuid(ref) ? or(eq(clusters.id, ref), eq(clusters.name, ref)) : eq(clusters.name, ref);
}

import "server-only";
import { and, asc, count, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

/**
 * A cluster's active client certificates with their owners, soonest expiry first, at most
 * `limit` of them plus the total (the Certificates page lists the rest). Caller has checked access.
 */
export async function listClientCertificates(db: Executor, clusterId: string, limit = 25) {
  const { certificates: c, users } = schema;
  const where = and(eq(c.clusterId, clusterId), eq(c.kind, "client"), eq(c.status, "active"));
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: c.id,
        serialHex: c.serialHex,
        databaseUser: c.databaseUser,
        status: c.status,
        notAfter: c.notAfter,
        ownerEmail: users.email,
        fromCsr: c.fromCsr,
      })
      .from(c)
      .leftJoin(users, eq(users.id, c.ownerUserId))
      .where(where)
      .orderBy(asc(c.notAfter), asc(c.id))
      .limit(limit),
    db.select({ n: count() }).from(c).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

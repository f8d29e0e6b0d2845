import "server-only";
import { and, asc, count, eq, ilike, isNull, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { containsPattern } from "@/lib/db/like";

export const NODES_PAGE_SIZE = 50;

/**
 * A cluster's live nodes with their active server certificate, one page at a time (a fleet
 * cluster has thousands), optionally narrowed to host names containing `search`. Ordered as the
 * expiry timeline above it: nodes without a certificate first, then soonest expiry, then host
 * name. The caller has checked access.
 */
export async function listNodes(db: Executor, clusterId: string, { page = 1, search }: { page?: number; search?: string } = {}) {
  const { nodes, certificates } = schema;
  const where = and(eq(nodes.clusterId, clusterId), isNull(nodes.removedAt), search ? ilike(nodes.hostname, containsPattern(search)) : undefined);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: nodes.id,
        hostname: nodes.hostname,
        role: nodes.role,
        port: nodes.port,
        serialHex: certificates.serialHex,
        dnsNames: certificates.dnsNames,
        ipAddresses: certificates.ipAddresses,
        notAfter: certificates.notAfter,
        status: certificates.status,
      })
      .from(nodes)
      .leftJoin(certificates, and(eq(certificates.nodeId, nodes.id), eq(certificates.kind, "server"), eq(certificates.status, "active")))
      .where(where)
      .orderBy(sql`${certificates.notAfter} asc nulls first`, asc(nodes.hostname), asc(nodes.id))
      .limit(NODES_PAGE_SIZE)
      .offset((page - 1) * NODES_PAGE_SIZE),
    db.select({ n: count() }).from(nodes).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page, pageSize: NODES_PAGE_SIZE };
}

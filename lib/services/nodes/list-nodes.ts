import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

/** A cluster's live nodes with their active server certificate (caller has checked access). */
export async function listNodes(db: Executor, clusterId: string) {
  const { nodes, certificates } = schema;
  return db
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
    .where(and(eq(nodes.clusterId, clusterId), isNull(nodes.removedAt)))
    .orderBy(asc(nodes.hostname));
}

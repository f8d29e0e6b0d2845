import "server-only";
import { and, eq, inArray, isNotNull, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { schema, type Executor } from "@/lib/db";

/**
 * Where-clause on certificates: the active server certificate of a node — by id, of any of a list
 * of ids, or of the node a column names (nodes.id, in a join). A node has at most one (a partial
 * unique index on kind = 'server' AND status = 'active').
 */
export function activeServerCertificateOf(node: string | string[] | AnyPgColumn): SQL {
  const { certificates: c } = schema;
  return and(Array.isArray(node) ? inArray(c.nodeId, node) : eq(c.nodeId, node), eq(c.kind, "server"), eq(c.status, "active"))!;
}

/** The node's active server certificate row, or null when it has none. */
export async function findActiveServerCertificate(db: Executor, nodeId: string) {
  const [certificate] = await db.select().from(schema.certificates).where(activeServerCertificateOf(nodeId));
  return certificate ?? null;
}

/** Whether cluster-tls still holds the private key of the node's active server certificate (dropped once an agent confirms its own). */
export async function holdsServerKey(db: Executor, nodeId: string): Promise<boolean> {
  const { certificates: c } = schema;
  const [row] = await db
    .select({ id: c.id })
    .from(c)
    .where(and(activeServerCertificateOf(nodeId), isNotNull(c.encryptedPrivateKey)))
    .limit(1);
  return row !== undefined;
}

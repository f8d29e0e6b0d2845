import "server-only";
import { asc } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

export type CertificateListItem = Pick<
  typeof schema.certificates.$inferSelect,
  "id" | "kind" | "status" | "serialHex" | "commonName" | "notAfter" | "clusterId"
>;

/** Every certificate, soonest expiry first. */
export async function listCertificates(db: Executor, limit = 200): Promise<CertificateListItem[]> {
  const { certificates: c } = schema;
  return db
    .select({
      id: c.id,
      kind: c.kind,
      status: c.status,
      serialHex: c.serialHex,
      commonName: c.commonName,
      notAfter: c.notAfter,
      clusterId: c.clusterId,
    })
    .from(c)
    .orderBy(asc(c.notAfter))
    .limit(limit);
}

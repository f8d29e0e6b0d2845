import "server-only";
import { asc, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { visibleClusterIds } from "@/lib/services/access/visible-cluster-ids";

export type CertificateListItem = Pick<
  typeof schema.certificates.$inferSelect,
  "id" | "kind" | "status" | "serialHex" | "commonName" | "notAfter" | "clusterId"
>;

/** Every certificate in the clusters the actor may see, soonest expiry first. */
export async function listCertificates(db: Executor, actor: Actor, limit = 200): Promise<CertificateListItem[]> {
  const { certificates: c } = schema;
  const visible = await visibleClusterIds(db, actor);
  if (visible !== "all" && visible.length === 0) return [];
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
    .where(visible === "all" ? undefined : inArray(c.clusterId, visible))
    .orderBy(asc(c.notAfter))
    .limit(limit);
}

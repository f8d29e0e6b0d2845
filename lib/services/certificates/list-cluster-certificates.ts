import "server-only";
import { asc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";
import { daysLeft } from "@/lib/format/days";

export type CertificateView = {
  id: string;
  serial: string;
  kind: string;
  status: string;
  subject: string;
  commonName: string;
  sans: string[];
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  nodeId: string | null;
  databaseUser: string | null;
  fingerprintSha256: string;
};

/** A cluster's certificates, soonest expiry first, in the shape of the HTTP contract. */
export async function listClusterCertificates(
  db: Executor,
  actor: Actor,
  clusterRef: string,
  now = new Date(),
): Promise<CertificateView[]> {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const { certificates: c } = schema;
  const rows = await db.select().from(c).where(eq(c.clusterId, cluster.id)).orderBy(asc(c.notAfter));
  return rows.map((row) => ({
    id: row.id,
    serial: row.serialHex,
    kind: row.kind,
    status: row.status === "active" && row.notAfter <= now ? "expired" : row.status,
    subject: row.subject,
    commonName: row.commonName,
    sans: [...row.dnsNames, ...row.ipAddresses],
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    daysLeft: daysLeft(row.notAfter, now),
    nodeId: row.nodeId,
    databaseUser: row.databaseUser,
    fingerprintSha256: row.fingerprintSha256,
  }));
}
